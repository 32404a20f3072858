package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.provider.http.Template.Encoding;
import dev.secretrotator.provider.http.Template.Vars;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
    final Vars vars = new Vars(Map.of("accountSid", "AC1", "keyId", "a/b?c=d", "scopes", List.of("mail.send")), "the secret");

    @Test
    void pathValues_arePercentEncoded_soTheyCannotAddSegmentsOrQueries() {
        assertThat(Template.render("/Accounts/{accountSid}/Keys/{keyId}.json", vars, Encoding.URL, "revoke.path"))
                .isEqualTo("/Accounts/AC1/Keys/a%2Fb%3Fc%3Dd.json");
    }

    @Test
    void bodyMember_thatIsOnePlaceholder_takesTheJsonValue_andAnAbsentOptionalOneIsDropped() {
        Map<String, Object> body = Template.renderBody(
                Map.of("data", Map.of("scopes", "{scopes}", "owner", "{owner?}", "name", "key-{accountSid}")), vars, "body");

        assertThat(body).isEqualTo(Map.of("data", Map.of("scopes", List.of("mail.send"), "name", "key-AC1")));
    }

    @Test
    void missingVariable_isRejected_namingTheFieldAndWhereItIsUsed() {
        assertThatThrownBy(() -> Template.render("/x/{region}", vars, Encoding.URL, "create.path"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the profile's create.path uses {region}, but the secret has no field \"region\"");
    }

    @Test
    void placeholders_areListedWithoutTheOptionalMark() {
        assertThat(Template.placeholders(Map.of("a", "{name}", "b", List.of("{owner?}")))).containsExactly("name", "owner");
    }
}
