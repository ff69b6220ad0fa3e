package io.streamload.emulator.mysql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * mysql_native_password: the client proves it knows the password by sending
 * {@code SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password)))}; an empty password sends nothing
 * (MySQL Client/Server Protocol, "Native Authentication").
 */
final class NativePassword {
    private NativePassword() {
    }

    static boolean matches(String password, byte[] scramble, byte[] answer) {
        if (password.isEmpty()) {
            return answer.length == 0;
        }
        if (answer.length != 20) {
            return false;
        }
        byte[] stage1 = sha1(password.getBytes(StandardCharsets.UTF_8));
        byte[] stage2 = sha1(stage1);
        byte[] mix = sha1(scramble, stage2);
        byte[] expected = new byte[20];
        for (int i = 0; i < 20; i++) {
            expected[i] = (byte) (stage1[i] ^ mix[i]);
        }
        return MessageDigest.isEqual(expected, answer);
    }

    private static byte[] sha1(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
