package io.streamload.emulator.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** The subset of JSONPath that jsonpaths and json_root use: {@code $}, {@code .name}, {@code ["name"]}, {@code [index]}. */
final class JsonPath {
    private JsonPath() {
    }

    static JsonNode select(JsonNode root, String path) {
        String p = path.trim();
        if (!p.startsWith("$")) {
            return MissingNode.getInstance();
        }
        JsonNode cur = root;
        int i = 1;
        while (i < p.length() && cur != null && !cur.isMissingNode()) {
            char c = p.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
                    end++;
                }
                cur = cur.path(p.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int close = p.indexOf(']', i);
                if (close < 0) {
                    return MissingNode.getInstance();
                }
                String inside = p.substring(i + 1, close).trim();
                if (inside.startsWith("\"") || inside.startsWith("'")) {
                    cur = cur.path(inside.substring(1, inside.length() - 1));
                } else {
                    try {
                        cur = cur.path(Integer.parseInt(inside));
                    } catch (NumberFormatException e) {
                        return MissingNode.getInstance();
                    }
                }
                i = close + 1;
            } else {
                return MissingNode.getInstance();
            }
        }
        return cur == null ? MissingNode.getInstance() : cur;
    }
}
