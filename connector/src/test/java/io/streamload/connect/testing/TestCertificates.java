package io.streamload.connect.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made with the JDK's keytool for TLS tests: {@code local.p12} (a key for
 * localhost and 127.0.0.1), {@code other.p12} (a key for another host) and {@code trust.p12}
 * (both certificates), all in one folder.
 */
public final class TestCertificates {
    public static final String STORE_PASSWORD = "store-pass-1";
    public static final String TRUST_PASSWORD = "trust-pass-2";

    private TestCertificates() {
    }

    /**
     * Writes the three stores into {@code dir}.
     *
     * @param keyAlgorithm keytool's key options, e.g. {@code -keyalg EC -groupname secp256r1}
     */
    public static void write(Path dir, String... keyAlgorithm) throws IOException, InterruptedException {
        key(dir, "local", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost", keyAlgorithm);
        key(dir, "other", "CN=other.example", "SAN=dns:other.example", keyAlgorithm);
        for (String name : List.of("local", "other")) {
            keytool("-exportcert", "-alias", name, "-keystore", dir.resolve(name + ".p12").toString(),
                    "-storepass", STORE_PASSWORD, "-file", dir.resolve(name + ".cer").toString());
            keytool("-importcert", "-noprompt", "-alias", name, "-file", dir.resolve(name + ".cer").toString(),
                    "-storetype", "PKCS12", "-keystore", dir.resolve("trust.p12").toString(),
                    "-storepass", TRUST_PASSWORD);
        }
    }

    private static void key(Path dir, String alias, String dname, String san, String... keyAlgorithm)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias));
        args.addAll(List.of(keyAlgorithm));
        args.addAll(List.of("-validity", "2", "-dname", dname, "-ext", san,
                "-storetype", "PKCS12", "-keystore", dir.resolve(alias + ".p12").toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD));
        keytool(args.toArray(String[]::new));
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + output);
        }
    }
}
