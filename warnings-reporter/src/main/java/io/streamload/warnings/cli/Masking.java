package io.streamload.warnings.cli;

import java.util.regex.Pattern;

/**
 * Masks passwords in command-line text the CLI echoes in its errors: an argument given in the wrong
 * place can be a store URL with its password ({@code mysql://user:pw@host}) or a key store password
 * option of one ({@code trustCertificateKeyStorePassword=pw}).
 */
final class Masking {
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(://[^/?#@:\\s]*:)[^/?#@\\s]*@");
    private static final Pattern PASSWORD_OPTION = Pattern.compile("(?i)(password=)[^&\\s\"']*");

    private Masking() {
    }

    static String mask(String text) {
        String masked = USER_INFO_PASSWORD.matcher(text).replaceAll("$1****@");
        return PASSWORD_OPTION.matcher(masked).replaceAll("$1****");
    }
}
