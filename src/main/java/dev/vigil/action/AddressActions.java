package dev.vigil.action;

import java.util.concurrent.CompletableFuture;

/**
 * Taking and releasing addresses. The daemon's implementation changes the kernel and announces the
 * move on the LAN; the simulation's records who holds what, which is what the lab draws and the
 * fault campaign's invariants check.
 */
public interface AddressActions {

    /** Adds the address (success also when it is already there) and announces it (GARP / unsolicited NA). */
    CompletableFuture<ActionResult> add(VirtualAddress address);

    /** Removes the address (success also when it is not there). */
    CompletableFuture<ActionResult> remove(VirtualAddress address);

    /** Sends the announcement again (keepalived's {@code garp_master_repeat}/{@code refresh}). */
    CompletableFuture<ActionResult> announce(VirtualAddress address);

    /**
     * Installs a route (success also when it is already there). Only the daemon changes a kernel's
     * routes; an implementation that models none says so in a failed result, which the router logs.
     */
    default CompletableFuture<ActionResult> addRoute(VirtualRoute route) {
        return CompletableFuture.completedFuture(ActionResult.failure("routes are not applied here: " + route));
    }

    /** Removes a route (success also when it is not there). */
    default CompletableFuture<ActionResult> removeRoute(VirtualRoute route) {
        return CompletableFuture.completedFuture(ActionResult.failure("routes are not applied here: " + route));
    }

    /** How an address action ended; {@code detail} is for the log. */
    record ActionResult(boolean ok, String detail) {
        public static ActionResult success(String detail) {
            return new ActionResult(true, detail);
        }

        public static ActionResult failure(String detail) {
            return new ActionResult(false, detail);
        }
    }
}
