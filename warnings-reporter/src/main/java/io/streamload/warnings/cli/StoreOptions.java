package io.streamload.warnings.cli;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The options that say where the warnings store is, a mixin of every command that reads it, shown
 * in its help as a section of their own under {@link #HEADING}. Each also comes from the properties
 * file or the environment: {@link StoreSettings} decides.
 *
 * <p>Not a picocli {@code @ArgGroup}, which would give the heading for free: an option of a group
 * given twice starts a new instance of the group, forgetting the group's other options.
 */
final class StoreOptions {
    static final String HEADING = "%nConnection (flag, else properties file, else environment):%n";

    /** The password's order, for the footer of the commands with these options. */
    static final String PASSWORD_ORDER = """
            %nThe password comes from the first of these places that gives one, a password inside the
            URL counting where the URL came from (so --url's beats LOAD_ERRORS_PASSWORD); within one
            place: load.errors.password, the password file, the variable, the URL's. The password
            itself: load.errors.password or LOAD_ERRORS_PASSWORD; there is no password flag (command
            lines are visible to every user of the machine).""";

    @Option(names = "--url", paramLabel = "URL", description = {
            "mysql://user[:password]@host:port[/database[/table]]",
            "[?option=value&...] (load.errors.url, LOAD_ERRORS_URL); options:",
            "TLS (sslMode, ...), connectTimeout, socketTimeout,",
            "characterEncoding; others are refused"})
    String url;

    @Option(names = "--cluster-id", paramLabel = "ID", description = {
            "database to use when the URL names none;",
            "the connector's load.errors.cluster.id",
            "(load.errors.cluster.id, LOAD_ERRORS_CLUSTER_ID)"})
    String clusterId;

    @Option(names = "--password-file", paramLabel = "FILE", description = {
            "read the password from FILE", "(load.errors.password.file, LOAD_ERRORS_PASSWORD_FILE)"})
    Path passwordFile;

    @Option(names = "--password-env", paramLabel = "NAME", description = {
            "read the password from environment variable NAME", "(load.errors.password.env, LOAD_ERRORS_PASSWORD_ENV)"})
    String passwordEnv;

    @Option(names = "--config", paramLabel = "FILE",
            description = "properties file with the keys above (LOAD_ERRORS_CONFIG)")
    Path config;

    /** The flags given, by name without dashes, for {@link StoreSettings}. */
    static Map<String, String> flags(StoreOptions store) {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, "url", store.url);
        put(flags, "cluster-id", store.clusterId);
        put(flags, "password-file", store.passwordFile);
        put(flags, "password-env", store.passwordEnv);
        put(flags, "config", store.config);
        return flags;
    }

    /** Whether {@code option} is one of these (for the help's sections). */
    static boolean declares(OptionSpec option) {
        return option.userObject() instanceof Field field && field.getDeclaringClass() == StoreOptions.class;
    }

    static void put(Map<String, String> flags, String name, Object value) {
        if (value != null) {
            flags.put(name, value.toString());
        }
    }
}
