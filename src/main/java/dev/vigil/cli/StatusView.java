package dev.vigil.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;

/** Turns a mode's status JSON into the text an operator of that mode expects (cl_status, keepalived). */
public interface StatusView {

    /** @return the exit code, as the tool it imitates would return it */
    int render(JsonObject status, List<String> args, PrintWriter out, PrintWriter err);
}
