/**
 * The heartbeat 3.0.6 wire codec: bytes to {@link dev.vigil.heartbeat.wire.HbMessage} and back,
 * byte-exact, with heartbeat's authentication. Pure code: no sockets, ttys, clocks or logs.
 *
 * <ul>
 *   <li>{@link dev.vigil.heartbeat.wire.HbMessage}: the ordered, typed fields of an {@code ha_msg}.</li>
 *   <li>{@link dev.vigil.heartbeat.wire.HbCodec}: decode (netstring or classic, verified against an
 *       {@link dev.vigil.heartbeat.wire.AuthKeys} set) into a {@link dev.vigil.heartbeat.wire.DecodeResult};
 *       sign and encode for UDP (netstring) or the serial link (classic).</li>
 *   <li>{@link dev.vigil.heartbeat.wire.SerialFrameSplitter}: cuts a tty byte stream into classic frames the
 *       way heartbeat's serial reader does.</li>
 * </ul>
 *
 * Sources of truth: {@code /work/shared/research/heartbeat.md} §1 and "Serial link over a pty", and the
 * captures in {@code src/test/resources/heartbeat-fixtures}, which the tests replay.
 */
package dev.vigil.heartbeat.wire;
