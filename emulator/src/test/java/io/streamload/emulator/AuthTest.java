package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP Basic: the FE challenges with 401, a BE answers a Fail body. */
class AuthTest {
    private StreamLoadEmulator e;

    @BeforeEach
    void start() {
        e = Fixtures.start(Dialect.STARROCKS);
        e.createTable(Fixtures.duplicate("t"));
    }

    @AfterEach
    void stop() {
        e.close();
    }

    private RawHttp.Request feLoad() {
        return RawHttp.put(e.feUrl() + Fixtures.streamLoadPath("t")).expectContinue().body("1\ta\t1\n");
    }

    @Test
    void missingCredentialsGet401WithChallenge() throws Exception {
        RawHttp.Response r = feLoad().send();

        assertEquals(401, r.status());
        assertEquals("Basic realm=\"\"", r.header("WWW-Authenticate"));
        assertFalse(r.sawContinue());
        assertEquals(0, e.rowCount(DB, "t"));
    }

    @Test
    void wrongPasswordGets401WithChallenge() throws Exception {
        RawHttp.Response r = feLoad().auth(USER, "wrong").send();

        assertEquals(401, r.status());
        assertEquals("Basic realm=\"\"", r.header("WWW-Authenticate"));
    }

    @Test
    void unknownUserGets401WithChallenge() throws Exception {
        RawHttp.Response r = feLoad().auth("intruder", PASSWORD).send();

        assertEquals(401, r.status());
        assertEquals("Basic realm=\"\"", r.header("WWW-Authenticate"));
    }

    @Test
    void authenticationComesBeforeTheExpectCheck() throws Exception {
        RawHttp.Response r = RawHttp.put(e.feUrl() + Fixtures.streamLoadPath("t")).body("1\ta\t1\n").send();
        assertEquals(401, r.status());
    }

    @Test
    void loadStateAndTransactionCallsNeedCredentialsToo() throws Exception {
        assertEquals(401, RawHttp.get(e.feUrl() + "/api/" + DB + "/get_load_state?label=x").send().status());
        assertEquals(401, RawHttp.post(e.feUrl() + "/api/transaction/begin")
                .headers("label", "x", "db", DB, "table", "t").send().status());
    }

    @Test
    void beWithoutBasicHeaderAnswersFailNoValidBasicAuthorization() throws Exception {
        RawHttp.Response r = RawHttp.put(e.beUrl(0) + Fixtures.streamLoadPath("t")).expectContinue()
                .header("label", "nobasic").body("1\ta\t1\n").send();

        assertEquals(200, r.status());
        assertEquals("Fail", r.json().get("Status").asText());
        assertEquals("no valid Basic authorization", r.json().get("Message").asText());
        assertEquals(0, e.rowCount(DB, "t"));
    }

    @Test
    void beWithWrongPasswordAnswersFailAccessDenied() throws Exception {
        RawHttp.Response r = Fixtures.streamLoadOnBe(e, 0, "t").auth(USER, "nope").send();

        assertEquals(200, r.status());
        assertEquals("Fail", r.json().get("Status").asText());
        assertTrue(r.json().get("Message").asText().contains("Access denied"), r::toString);
    }
}
