package io.streamload.connect.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import io.streamload.connect.config.NetworkSettings;

/**
 * Builds the {@link SSLContext} for https load URLs from {@link TlsSettings}. Errors name the
 * setting and file at fault, never a password.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** How the HTTP client opens TLS connections with these settings: their stores, and host name checks unless turned off. */
    public static TlsSocketStrategy socketStrategy(TlsSettings settings) {
        ClientTlsStrategyBuilder builder = ClientTlsStrategyBuilder.create().setSslContext(create(settings));
        if (!settings.hostnameVerification()) {
            builder.setHostVerificationPolicy(HostnameVerificationPolicy.CLIENT)
                    .setHostnameVerifier(NoopHostnameVerifier.INSTANCE);
        }
        return builder.buildClassic();
    }

    /**
     * @throws ConfigException when a store cannot be read or opened with its password
     */
    public static SSLContext create(TlsSettings settings) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            // A null key store means the JVM's default trust (cacerts).
            trust.init(settings.truststoreLocation() == null ? null
                    : load(settings.truststoreLocation(), settings.truststoreType(), settings.truststorePassword(),
                            NetworkSettings.SSL_TRUSTSTORE_LOCATION));
            KeyManagerFactory keys = null;
            if (settings.keystoreLocation() != null) {
                KeyStore store = load(settings.keystoreLocation(), settings.keystoreType(),
                        settings.keystorePassword(), NetworkSettings.SSL_KEYSTORE_LOCATION);
                Password keyPassword = settings.keyPassword() != null ? settings.keyPassword()
                        : settings.keystorePassword();
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                try {
                    keys.init(store, chars(keyPassword));
                } catch (GeneralSecurityException e) {
                    throw new ConfigException("The private key in " + settings.keystoreLocation() + " ("
                            + NetworkSettings.SSL_KEYSTORE_LOCATION + ") cannot be opened: check "
                            + NetworkSettings.SSL_KEY_PASSWORD + " (" + e.getClass().getSimpleName() + ")");
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot set up TLS for the load URLs: " + e.getMessage());
        }
    }

    private static KeyStore load(String location, String type, Password password, String key) {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, chars(password));
            return store;
        } catch (IOException e) {
            // Also a wrong password: KeyStore.load reports it as an IOException.
            throw new ConfigException("Cannot read the " + type + " store " + location + " (" + key + "): "
                    + e.getMessage() + "; check the file and its password");
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot read the " + type + " store " + location + " (" + key + "): "
                    + e.getClass().getSimpleName());
        }
    }

    private static char[] chars(Password password) {
        return password == null ? null : password.value().toCharArray();
    }
}
