package dev.vigil.lab;

import dev.vigil.sim.HolderTimeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One lab run: the two lanes, on one time axis (nanoseconds from the start of the shown window). */
public record LabResult(LabScenario scenario, long durationNanos, long faultAtNanos, List<Lane> lanes) {

    /** One protocol's view of the run. */
    public record Lane(String protocol, String title, List<String> nodes, List<HolderTimeline.Hold> holders,
                       List<HolderTimeline.Window> outageWindows, List<HolderTimeline.Window> doubleHolderWindows,
                       Long detectionAtNanos, long messagesSent, String finalHolder, String explanation,
                       Long lastHeardFromAAtNanos) {

        public long outageNanos() {
            return HolderTimeline.total(outageWindows);
        }

        public long doubleHolderNanos() {
            return HolderTimeline.total(doubleHolderWindows);
        }

        JsonObject toJson() {
            JsonArray hs = new JsonArray();
            for (HolderTimeline.Hold h : holders) hs.add(new JsonObject().put("node", h.node()).put("from", h.from()).put("to", h.to()));
            return new JsonObject().put("protocol", protocol).put("title", title).put("nodes", new JsonArray(nodes))
                    .put("holders", hs).put("outageWindows", windows(outageWindows))
                    .put("doubleHolderWindows", windows(doubleHolderWindows))
                    .put("detectionAtNanos", detectionAtNanos).put("outageNanos", outageNanos())
                    .put("doubleHolderNanos", doubleHolderNanos()).put("messagesSent", messagesSent)
                    .put("finalHolder", finalHolder).put("explanation", explanation)
                    .put("lastHeardFromAAtNanos", lastHeardFromAAtNanos);
        }

        private static JsonArray windows(List<HolderTimeline.Window> ws) {
            JsonArray a = new JsonArray();
            for (HolderTimeline.Window w : ws) a.add(new JsonObject().put("from", w.from()).put("to", w.to()));
            return a;
        }
    }

    public Lane lane(String protocol) {
        return lanes.stream().filter(l -> l.protocol().equals(protocol)).findFirst().orElseThrow();
    }

    public JsonObject toJson() {
        JsonArray ls = new JsonArray();
        for (Lane l : lanes) ls.add(l.toJson());
        return new JsonObject().put("scenario", scenario.id()).put("title", scenario.title())
                .put("durationNanos", durationNanos).put("faultAtNanos", faultAtNanos).put("lanes", ls);
    }
}
