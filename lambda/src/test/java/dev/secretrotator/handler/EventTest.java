package dev.secretrotator.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EventTest {
    private static final String HEAD = "{\"Step\":\"createSecret\",\"SecretId\":\"app/db\",\"ClientRequestToken\":\"";

    @Test
    void parse_ofAnEventOverLambdasPayloadLimit_callsItThatAndNamesTheSecret() {
        // GIVEN a 60 MB event that names its secret and step plainly (a token padded out to the size)
        byte[] payload = padded(60 * 1024 * 1024);

        // WHEN it is parsed THEN it is named a payload-limit problem, not a JSON one
        assertThatThrownBy(() -> Event.parse(payload)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("secret app/db, step createSecret: ")
                .hasMessageContaining("the event is 60.0 MB (62914560 bytes), over Lambda's 6 MB payload limit (6291456 bytes)")
                .hasMessageNotContaining("not valid JSON").hasMessageNotContaining("aaaa");
    }

    @Test
    void parse_ofAnEventOneByteOverTheLimit_isRefusedBeforeParsing() {
        byte[] payload = padded(Event.PAYLOAD_LIMIT + 1);

        assertThatThrownBy(() -> Event.parse(payload)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("over Lambda's 6 MB payload limit");
    }

    @Test
    void parse_ofAnEventAtTheLimit_isParsed() {
        byte[] payload = padded(Event.PAYLOAD_LIMIT);

        assertThat(Event.parse(payload).fields()).containsEntry("SecretId", "app/db");
    }

    @Test
    void parse_ofASmallMalformedEvent_stillSaysNotValidJson() {
        byte[] payload = "{\"Step\":\"createSecret\",\"SecretId\":\"app/db\",".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Event.parse(payload)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("the event is not valid JSON (").hasMessageNotContaining("payload limit");
    }

    /** A well-formed rotation event of exactly {@code size} bytes. */
    private static byte[] padded(int size) {
        byte[] head = HEAD.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'a');
        System.arraycopy(head, 0, payload, 0, head.length);
        payload[size - 2] = '"';
        payload[size - 1] = '}';
        return payload;
    }
}
