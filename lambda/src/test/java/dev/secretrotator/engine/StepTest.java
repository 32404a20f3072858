package dev.secretrotator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepTest {

    @Test
    void fromWire_acceptsTheFourStepNames() {
        assertThat(Step.fromWire("createSecret")).isEqualTo(Step.CREATE);
        assertThat(Step.fromWire("setSecret")).isEqualTo(Step.SET);
        assertThat(Step.fromWire("testSecret")).isEqualTo(Step.TEST);
        assertThat(Step.fromWire("finishSecret")).isEqualTo(Step.FINISH);
    }

    @Test
    void fromWire_ofAnythingElse_listsTheValidSteps() {
        assertThatThrownBy(() -> Step.fromWire("create_secret")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown step 'create_secret'").hasMessageContaining("finishSecret");
    }

    @Test
    void request_toString_neverShowsTheRotationToken() {
        RotationRequest r = new RotationRequest(Step.CREATE, "s", "v", Optional.of("rotation-token-value"));

        assertThat(r.toString()).doesNotContain("rotation-token-value").contains("rotationToken=***");
    }
}
