package dev.vigil.lab;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator can change in the lab: both protocols' knobs and the fault's timing. Times are
 * seconds, as in keepalived.conf and ha.cf.
 */
public record LabParams(int priorityA, int priorityB, int weight, double advertInt, int version, boolean preempt,
                        double keepalive, double deadtime, boolean autoFailback,
                        double lossPercent, double faultAt, double recoverAt, double duration, long seed) {

    public static LabParams defaults() {
        return new LabParams(100, 80, -10, 1.0, 2, true, 1.0, 5.0, true, 30, 20, 40, 60, 1);
    }

    /** Reads the parameters the console sends; missing ones keep their defaults. */
    public static LabParams fromJson(JsonObject j) {
        LabParams d = defaults();
        return new LabParams(
                j.getInteger("priorityA", d.priorityA), j.getInteger("priorityB", d.priorityB),
                j.getInteger("weight", d.weight), num(j, "advertInt", d.advertInt), j.getInteger("version", d.version),
                j.getBoolean("preempt", d.preempt), num(j, "keepalive", d.keepalive), num(j, "deadtime", d.deadtime),
                j.getBoolean("autoFailback", d.autoFailback), num(j, "lossPercent", d.lossPercent),
                num(j, "faultAt", d.faultAt), num(j, "recoverAt", d.recoverAt), num(j, "duration", d.duration),
                j.getLong("seed", d.seed));
    }

    private static double num(JsonObject j, String k, double def) {
        Object v = j.getValue(k);
        return v instanceof Number n ? n.doubleValue() : def;
    }

    /** What is wrong with these parameters, in the words of the config file they stand for; empty when fine. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (priorityA < 1 || priorityA > 255 || priorityB < 1 || priorityB > 255) p.add("priorities must be within 1..255");
        if (weight < -253 || weight > 253) p.add("weight must be within -253..253");
        if (version != 2 && version != 3) p.add("version must be 2 or 3");
        if (version == 2 && (advertInt < 1 || advertInt != Math.rint(advertInt))) p.add("VRRPv2 advert_int is whole seconds (1..255)");
        if (version == 3 && (advertInt < 0.01 || advertInt > 40.95)) p.add("VRRPv3 advert_int must be within 0.01..40.95 s");
        if (keepalive <= 0) p.add("keepalive must be positive");
        if (deadtime <= 2 * keepalive) p.add("deadtime must be more than twice keepalive (heartbeat refuses otherwise)");
        if (lossPercent < 0 || lossPercent > 100) p.add("loss must be within 0..100 %");
        if (duration < 5 || duration > 3600) p.add("run for 5 s to 1 h");
        if (faultAt <= 0 || faultAt >= duration) p.add("the fault must happen within the run");
        if (recoverAt != 0 && (recoverAt <= faultAt || recoverAt > duration)) p.add("recovery must come after the fault and within the run (0: never)");
        return p;
    }

    boolean recovers() {
        return recoverAt > 0;
    }
}
