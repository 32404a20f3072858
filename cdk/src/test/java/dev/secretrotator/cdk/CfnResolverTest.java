package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The intrinsics PermissionContractTest resolves, as CloudFormation would; the rest is refused. */
class CfnResolverTest {
    static final Map<String, Object> TEMPLATE = Map.of(
            "Parameters", Map.of(
                    "Arns", Map.of("Type", "CommaDelimitedList", "Default", ""),
                    "Path", Map.of("Type", "String", "Default", "/rotated/")),
            "Conditions", Map.of(
                    "HasArns", Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Fn::Join", List.of("", Map.of("Ref", "Arns"))), ""))))),
            "Resources", Map.of("LogGroup", Map.of("Type", "AWS::Logs::LogGroup")));

    static CfnResolver resolver(Map<String, String> parameters) {
        return new CfnResolver(TEMPLATE, "aws-cn", "cn-north-1", "123456789012", parameters);
    }

    @Test
    void refSubAndJoin_usePseudoParametersAndParameters() {
        CfnResolver r = resolver(Map.of("Arns", "a,b"));

        assertThat(r.resolve(Map.of("Fn::Sub", "arn:${AWS::Partition}:iam::${AWS::AccountId}:user${Path}*")))
                .isEqualTo("arn:aws-cn:iam::123456789012:user/rotated/*");
        assertThat(r.resolve(Map.of("Ref", "Arns"))).isEqualTo(List.of("a", "b"));
        assertThat(r.resolve(Map.of("Fn::Join", List.of(":", List.of("x", Map.of("Ref", "AWS::Region"))))))
                .isEqualTo("x:cn-north-1");
        assertThat(r.resolve(Map.of("Fn::Select", List.of("1", Map.of("Fn::Split", List.of(",", "p,q")))))).isEqualTo("q");
    }

    @Test
    void ifAndNoValue_followTheConditions() {
        Object statements = List.of(Map.of("Fn::If", List.of("HasArns", "listed", Map.of("Ref", "AWS::NoValue"))), "always");

        assertThat(resolver(Map.of()).resolve(statements)).isEqualTo(List.of("always"));
        assertThat(resolver(Map.of("Arns", "a")).resolve(statements)).isEqualTo(List.of("listed", "always"));
    }

    @Test
    void resourceAttributes_resolveToNamedPlaceholders() {
        assertThat(resolver(Map.of()).resolve(Map.of("Fn::GetAtt", List.of("LogGroup", "Arn")))).isEqualTo("LogGroup.Arn");
    }

    @Test
    void unknownIntrinsicsParametersAndReferences_fail() {
        assertThatThrownBy(() -> resolver(Map.of()).resolve(Map.of("Fn::ImportValue", "x"))).hasMessageContaining("Fn::ImportValue");
        assertThatThrownBy(() -> resolver(Map.of()).resolve(Map.of("Ref", "Nothing"))).hasMessageContaining("Nothing");
        assertThatThrownBy(() -> resolver(Map.of("Typo", "x"))).hasMessageContaining("no parameter Typo");
    }
}
