package dev.vigil.action;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Signals to whole process groups. A resource script's {@code start} often leaves a daemon behind,
 * and a hung script may have children of its own: killing only the direct child (what
 * {@link Process#destroy()} does) would leave them running, holding the address or the port.
 * Every script runs in its own session (via {@code setsid}), so its pid is its process group id.
 */
final class ProcessGroups {
    static final int SIGTERM = 15;
    static final int SIGKILL = 9;

    private interface LibC extends Library {
        int kill(int pid, int sig);
    }

    private static volatile LibC libc;

    private ProcessGroups() {
    }

    /** Sends {@code signal} to every process of group {@code pgid}; false when none is left. */
    static boolean signalGroup(long pgid, int signal) {
        if (pgid <= 1) throw new IllegalArgumentException("refusing to signal process group " + pgid);
        return lib().kill((int) -pgid, signal) == 0;
    }

    /** True while any process of the group exists (signal 0 checks without sending). */
    static boolean groupAlive(long pgid) {
        return pgid > 1 && lib().kill((int) -pgid, 0) == 0;
    }

    private static LibC lib() {
        LibC l = libc;
        if (l == null) {
            synchronized (ProcessGroups.class) {
                if (libc == null) libc = Native.load("c", LibC.class);
                l = libc;
            }
        }
        return l;
    }
}
