package dev.vigil.config.keepalived;

import dev.vigil.config.Diagnostics;
import dev.vigil.config.SourceLocation;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups the preprocessed words into statements and blocks. keepalived 2.x splits braces from the
 * words around them and lets a block start on the keyword's line or the next one, and lets more
 * statements follow a {@code }} on the same line ({@code track_script { chk } }, {@code } vrrp_instance
 * B {}); a statement is otherwise the words of one line up to the next brace.
 */
final class TreeBuilder {
    private final List<Token> tokens = new ArrayList<>();
    private final List<Integer> lineIds = new ArrayList<>();
    private final List<String> lineComments = new ArrayList<>();
    static final int MAX_DEPTH = 64;
    private final Diagnostics out;
    private int pos;
    private int depth;

    TreeBuilder(List<SourceLine> lines, Diagnostics out) {
        this.out = out;
        for (int i = 0; i < lines.size(); i++) {
            for (Token t : lines.get(i).tokens()) {
                tokens.add(t);
                lineIds.add(i);
            }
            lineComments.add(lines.get(i).comment());
        }
    }

    List<Node> build() {
        pos = 0;
        depth = 0;
        return nodes(null);
    }

    private List<Node> body(Token opener) {
        if (++depth > MAX_DEPTH) {
            out.error(opener.at(), "blocks nested more than " + MAX_DEPTH + " deep; the rest of this block is skipped",
                    "keepalived.conf needs at most 5 levels (virtual_server > real_server > checker)");
            skipBlock();
            depth--;
            return new ArrayList<>();
        }
        try {
            return nodes(opener);
        } finally {
            depth--;
        }
    }

    /** Skips to the '}' closing the block just opened, counting braces instead of recursing. */
    private void skipBlock() {
        int open = 1;
        while (pos < tokens.size()) {
            Token t = tokens.get(pos);
            if (t.isOpen()) open++;
            if (t.isClose() && --open == 0) return;
            pos++;
        }
    }

    private List<Node> nodes(Token opener) {
        List<Node> nodes = new ArrayList<>();
        while (pos < tokens.size()) {
            Token t = tokens.get(pos);
            if (t.isClose()) {
                if (opener != null) return nodes;
                pos++;
                out.error(t.at(), "unexpected '}': no block is open here",
                        "remove it, or look above for a block closed too early");
                continue;
            }
            if (t.isOpen()) {
                pos++;
                out.error(t.at(), "'{' without a keyword before it", "a block needs a keyword first, e.g. 'virtual_ipaddress {'");
                body(t);
                if (pos < tokens.size()) pos++;
                continue;
            }
            nodes.add(statement());
        }
        return nodes;
    }

    private Node statement() {
        int line = lineIds.get(pos);
        Token keyword = tokens.get(pos++);
        List<Token> args = new ArrayList<>();
        while (pos < tokens.size() && lineIds.get(pos) == line && !tokens.get(pos).isBrace()) args.add(tokens.get(pos++));
        boolean reachedLineEnd = pos >= tokens.size() || lineIds.get(pos) != line;
        String comment = reachedLineEnd ? lineComments.get(line) : null;
        if (pos < tokens.size() && tokens.get(pos).isOpen()) {
            pos++;
            List<Node> children = body(tokens.get(pos - 1));
            if (pos < tokens.size()) {
                SourceLocation end = tokens.get(pos).at();
                pos++;
                return new Node(keyword, List.copyOf(args), children, true, end, comment);
            }
            return new Node(keyword, List.copyOf(args), children, false, null, comment);
        }
        return new Node(keyword, List.copyOf(args), null, true, null, comment);
    }
}
