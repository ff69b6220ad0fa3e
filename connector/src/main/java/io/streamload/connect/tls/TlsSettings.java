package io.streamload.connect.tls;

import org.apache.kafka.common.config.types.Password;

/**
 * Trust and key material for {@code https://} load URLs. Passwords stay {@link Password}s, whose
 * {@code toString()} is {@code [hidden]}, so this record can be logged.
 *
 * @param truststoreLocation trust store file, or null for the JVM's default trust
 * @param truststorePassword its password, or null
 * @param truststoreType {@code PKCS12} or {@code JKS}
 * @param keystoreLocation key store with a client key and certificate (mutual TLS), or null
 * @param keystorePassword its password, or null
 * @param keyPassword the private key's password when it differs from the key store's, or null
 * @param keystoreType {@code PKCS12} or {@code JKS}
 * @param hostnameVerification whether the server certificate must name the host connected to
 */
public record TlsSettings(String truststoreLocation, Password truststorePassword, String truststoreType,
                          String keystoreLocation, Password keystorePassword, Password keyPassword,
                          String keystoreType, boolean hostnameVerification) {

    /** The JVM's default trust, no client certificate, hostname verification on. */
    public static TlsSettings defaults() {
        return new TlsSettings(null, null, "PKCS12", null, null, null, "PKCS12", true);
    }
}
