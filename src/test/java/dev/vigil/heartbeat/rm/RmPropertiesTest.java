package dev.vigil.heartbeat.rm;

import static dev.vigil.heartbeat.rm.RmDriver.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.membership.MembershipAction;
import dev.vigil.heartbeat.membership.NodeStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any interleaving of peer messages (all v1 types, odd field values), membership events, admin
 * commands, script results (success or failure, in any order) and time never makes the resource
 * manager throw, and it keeps its contract with the executor: one outstanding operation per group,
 * a known rscstatus word, nothing overdue after a tick.
 */
class RmPropertiesTest {
    sealed interface Step permits Peer, Event, Command, Complete, Pause {}

    record Peer(String type, Map<String, String> fields) implements Step {}

    record Event(NodeStatus status, boolean restart, boolean partitionReturn, boolean commUp) implements Step {}

    record Command(String what, AdminRequest which) implements Step {}

    record Complete(boolean fail, boolean stillRunning) implements Step {}

    record Pause(long millis) implements Step {}

    @Property(tries = 300)
    void anyInterleavingKeepsTheExecutorContract(@ForAll("modes") AutoFailback mode, @ForAll("streams") List<Step> steps) {
        RmDriver d = new RmDriver(A, mode, GROUP_A, GROUP_B);
        d.autoComplete = false;
        NodeStatus peerStatus = NodeStatus.INIT;
        for (Step s : steps) {
            if (s instanceof Peer p) {
                String[] kv = new String[p.fields().size() * 2];
                int i = 0;
                for (Map.Entry<String, String> e : p.fields().entrySet()) {
                    kv[i++] = e.getKey();
                    kv[i++] = e.getValue();
                }
                d.fromPeer(p.type(), kv);
            } else if (s instanceof Event e) {
                if (e.commUp()) d.commUp();
                if (e.restart()) d.membership(new MembershipAction.PeerRestarted(B, 7, 8));
                if (e.partitionReturn()) d.membership(new MembershipAction.PeerReturnedAfterPartition(B));
                if (e.status() != peerStatus) {
                    d.peerStatus(peerStatus, e.status());
                    peerStatus = e.status();
                }
            } else if (s instanceof Command c) {
                switch (c.what()) {
                    case "standby" -> d.apply(d.rm.requestStandby(c.which(), d.now));
                    case "takeover" -> d.apply(d.rm.requestTakeover(c.which(), d.now));
                    case "shutdown" -> d.apply(d.rm.shutdown(d.now));
                    default -> d.apply(d.rm.resolveFailedGroup(GROUP_A.key(), d.now));
                }
            } else if (s instanceof Complete c && !d.pending.isEmpty()) {
                RmAction.RunResource r = d.pending.poll();
                OperationResult result = switch (r.op()) {
                    case START -> OperationResult.started(r.group(), r.resource(), !c.fail());
                    case STOP -> OperationResult.stopped(r.group(), r.resource(), !c.fail());
                    default -> OperationResult.status(r.group(), r.resource(), c.stillRunning());
                };
                d.apply(d.rm.operationFinished(result, d.now));
            } else if (s instanceof Pause p) {
                d.advance(d.now + p.millis() * MS);
                assertThat(d.rm.nextDeadlineNanos()).isGreaterThan(d.now);
            }
            // one outstanding operation per group
            Map<String, Integer> outstanding = new HashMap<>();
            for (RmAction.RunResource r : d.pending) outstanding.merge(r.group(), 1, Integer::sum);
            assertThat(outstanding.values()).allMatch(n -> n == 1);
            assertThat(d.rm.rscStatus()).isIn("none", "local", "foreign", "all", "transition");
            for (var m : d.sent) assertThat(m.type()).isPresent();
        }
    }

    @Provide
    Arbitrary<AutoFailback> modes() {
        return Arbitraries.of(AutoFailback.class);
    }

    @Provide
    Arbitrary<List<Step>> streams() {
        Arbitrary<String> types = Arbitraries.of("starting", "resource", "ask_resources", "hb_takeover", "ip-request", "ip-request-resp",
                "shutdone", "stonith", "status", "x-unknown");
        Arbitrary<String> names = Arbitraries.of("rsc_hold", "rtype", "isstable", "info", "ipaddr", "dest", "ok", "weown");
        Arbitrary<String> values = Arbitraries.of("none", "local", "foreign", "all", "failback", "full", "0", "1", "me", "other", "done",
                "mach_down", "shutdown", "standby", "OK", "nodea", "nodeb", GROUP_A.key(), GROUP_B.key(), "", "junk");
        Arbitrary<Step> peer = Combinators.combine(types, Arbitraries.maps(names, values).ofMaxSize(4)).as(Peer::new);
        Arbitrary<Step> event = Combinators.combine(Arbitraries.of(NodeStatus.class), Arbitraries.of(true, false, false, false),
                Arbitraries.of(true, false, false, false), Arbitraries.of(true, false)).as(Event::new);
        Arbitrary<Step> command = Combinators.combine(Arbitraries.of("standby", "takeover", "shutdown", "resolve"),
                Arbitraries.of(AdminRequest.class)).as(Command::new);
        Arbitrary<Step> complete = Combinators.combine(Arbitraries.of(false, false, false, true), Arbitraries.of(true, false))
                .as(Complete::new);
        Arbitrary<Step> pause = Arbitraries.longs().between(0, 35_000).map(Pause::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, peer), net.jqwik.api.Tuple.of(2, event), net.jqwik.api.Tuple.of(1, command),
                net.jqwik.api.Tuple.of(6, complete), net.jqwik.api.Tuple.of(2, pause)).list().ofMaxSize(80);
    }
}
