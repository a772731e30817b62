package dev.vigil.vrrp;

import dev.vigil.action.AddressActions;
import dev.vigil.transport.FrameLink;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything a {@link VrrpRouter} touches outside itself, so the same glue runs in the daemon
 * (pcap, {@code ip addr}, forked scripts) and in the simulation (in-memory segment, a recording
 * address book, scripted results). Frames come in through {@link VrrpRouter#onFrame}, link changes
 * through {@link VrrpRouter#onInterfaceState}, both on the router's scheduler thread.
 *
 * @param links      the frame link of an interface (null when there is none: nothing is sent there)
 * @param addresses  adds, removes and announces virtual addresses
 * @param scripts    runs {@code vrrp_script} checks
 */
public record VrrpIo(Function<String, FrameLink> links, AddressActions addresses, TrackScriptExecutor scripts) {

    public VrrpIo {
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(scripts, "scripts");
    }
}
