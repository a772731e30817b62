package dev.vigil.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import dev.vigil.console.ResourceApi;
import dev.vigil.sim.SimScheduler;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The driver on a simulated scheduler: operations out, results back, one timer for the polls, give-ups to the listener. */
class GroupDriverTest {
    static final long S = 1_000_000_000L;
    static final ResourcePolicy MONITORED = GroupLifecycleTest.MONITORED;

    final SimScheduler scheduler = new SimScheduler();
    final ResourceJournal journal = new ResourceJournal();
    final List<String> ran = new ArrayList<>();
    final Map<String, Boolean> running = new HashMap<>();
    final List<GroupAction.GiveUp> giveUps = new ArrayList<>();
    final List<String> cleared = new ArrayList<>();

    /** Services that start and stop at once, 100 ms per operation on the simulated clock; they record into the journal. */
    final ResourceOps ops = new ResourceOps() {
        @Override
        public CompletionStage<OpOutcome> run(String resource, ResourceOperation op, Duration timeout) {
            ran.add(resource + " " + op.argument());
            CompletableFuture<OpOutcome> f = new CompletableFuture<>();
            scheduler.schedule(100_000_000L, () -> {
                OpOutcome o = switch (op) {
                    case START, RESTART -> {
                        running.put(resource, true);
                        yield OpOutcome.ok("started");
                    }
                    case STOP -> {
                        running.put(resource, false);
                        yield OpOutcome.ok("stopped");
                    }
                    case STATUS -> OpOutcome.status(running.getOrDefault(resource, false), "");
                };
                journal.record(new ResourceJournal.Entry(resource, op, Instant.EPOCH, true, o.detail(), List.of(resource + " says " + op)));
                f.complete(o);
            });
            return f;
        }

        @Override
        public boolean hasRestart(String resource) {
            return false;
        }
    };

    GroupDriver driver(boolean managed, String... names) {
        List<GroupLifecycle.Member> m = new ArrayList<>();
        for (String n : names) m.add(new GroupLifecycle.Member(n, MONITORED, false));
        return new GroupDriver(new GroupLifecycle("g", m, managed), scheduler, ops, new GroupDriver.Listener() {
            @Override
            public void gaveUp(GroupAction.GiveUp g) {
                giveUps.add(g);
            }

            @Override
            public void cleared(String group) {
                cleared.add(group);
            }
        }, LoggerFactory.getLogger("test"));
    }

    @Test
    void startsInOrderPollsOnItsTimerRestartsAndGivesUpPastTheBudget() {
        GroupDriver d = driver(true, "a", "b");
        d.start();
        scheduler.runFor(S);
        assertThat(ran).containsExactly("a start", "b start");
        scheduler.runFor(5 * S);
        assertThat(ran).contains("a status", "b status");
        for (int i = 0; i < 3; i++) {
            running.put("b", false); // the service dies
            scheduler.runFor(6 * S);
        }
        assertThat(ran.stream().filter(r -> r.equals("b stop")).count()).isEqualTo(2); // two restarts (stop then start)
        assertThat(giveUps).singleElement().satisfies(g -> assertThat(g.resource()).isEqualTo("b"));
        d.stop();
        scheduler.runFor(S);
        assertThat(ran.subList(ran.size() - 2, ran.size())).containsExactly("b stop", "a stop");
        d.reset();
        assertThat(cleared).containsExactly("g");
    }

    @Test
    void resourceApiListsRefusesAndRestarts() {
        ResourceSupervisor sup = new ResourceSupervisor(journal);
        GroupDriver d = driver(false, "IPaddr2::10.0.0.1/24", "apache2");
        sup.add(d);
        JsonObject list = ResourceApi.command(sup, "resource-list", new JsonObject()).result();
        assertThat(list.getJsonArray("groups").getJsonObject(0).getString("state")).isEqualTo("stopped");
        var refused = ResourceApi.command(sup, "resource-restart", new JsonObject().put("name", "apache2"));
        assertThat(refused.failed()).isTrue();
        assertThat(refused.cause().getMessage()).contains("apache2 is not running on this node");
        assertThat(ResourceApi.command(sup, "resource-restart", new JsonObject().put("name", "nginx")).cause().getMessage())
                .contains("no resource nginx").contains("known: IPaddr2::10.0.0.1/24, apache2");

        d.adopt(); // heartbeat's resource manager started the group here
        running.put("apache2", true);
        JsonObject ok = ResourceApi.command(sup, "resource-restart", new JsonObject().put("name", "apache2")).result();
        assertThat(ok.getString("group")).isEqualTo("g");
        scheduler.runFor(S);
        assertThat(ran).containsExactly("apache2 stop", "apache2 start");
        JsonObject st = ResourceApi.command(sup, "resource-status", new JsonObject().put("name", "apache2")).result();
        JsonObject r = st.getJsonArray("groups").getJsonObject(0).getJsonArray("resources").getJsonObject(0);
        assertThat(r.getString("name")).isEqualTo("apache2");
        assertThat(r.getJsonObject("lastOp").getString("op")).isEqualTo("start");
        assertThat(r.getJsonObject("lastOp").getJsonArray("output").getString(0)).isEqualTo("apache2 says START");
        assertThat(ResourceApi.command(sup, "resource-bogus", new JsonObject()).cause().getMessage()).contains("unknown command");
    }
}
