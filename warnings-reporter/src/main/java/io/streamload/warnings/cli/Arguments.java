package io.streamload.warnings.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments: {@code --name value}, {@code --name=value}, switches, and positionals.
 * Each command declares the options it knows, so a typo is an error rather than silently ignored.
 * An option declared repeatable keeps every value ({@link #all}); any other keeps its last.
 */
final class Arguments {
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Map<String, List<String>> repeated = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    static Arguments parse(List<String> args, Set<String> valueOptions, Set<String> switches) throws UsageException {
        return parse(args, valueOptions, switches, Set.of());
    }

    /** {@code repeatable}: value options that may be given more than once. */
    static Arguments parse(List<String> args, Set<String> valueOptions, Set<String> switches, Set<String> repeatable)
            throws UsageException {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                parsed.positionals.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                parsed.positionals.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            if (switches.contains(name)) {
                if (eq >= 0) {
                    throw new UsageException("--" + name + " takes no value");
                }
                parsed.options.put(name, "true");
            } else if (valueOptions.contains(name)) {
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
                parsed.options.put(name, value);
                if (repeatable.contains(name)) {
                    parsed.repeated.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return parsed;
    }

    String get(String name) {
        return options.get(name);
    }

    /** Every value of a repeatable option, in order; empty when it was not given. */
    List<String> all(String name) {
        return repeated.getOrDefault(name, List.of());
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    List<String> positionals() {
        return positionals;
    }

    int intOption(String name, int defaultValue) throws UsageException {
        String value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed <= 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a positive whole number, got '" + value + "'");
        }
    }
}
