package dev.secretrotator.provider.iam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserBindingTest {

    @Test
    void secretName_dropsTheSixCharacterSuffixSecretsManagerAppends() {
        assertThat(UserBinding.secretName("arn:aws:secretsmanager:us-east-1:111122223333:secret:team-b/ci-deployer-AbC123"))
                .isEqualTo("team-b/ci-deployer");
    }

    @Test
    void secretName_inAnotherPartition_isFoundTheSameWay() {
        assertThat(UserBinding.secretName("arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:app-key-x9Y8z7"))
                .isEqualTo("app-key");
    }
}
