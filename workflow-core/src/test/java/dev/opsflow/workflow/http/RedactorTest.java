package dev.opsflow.workflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void sensitiveJsonFieldsAreMaskedAtAnyDepth() {
    String json =
        "{\"name\":\"db1\",\"password\":\"p4ss\",\"nested\":{\"apiKey\":\"k1\","
            + "\"items\":[{\"accessToken\":\"t1\",\"size\":3}]},"
            + "\"Credentials\":{\"user\":\"u\",\"secret\":\"s\"},\"Authorization\":42}";

    String redacted = Redactor.redactJson(json);

    assertThat(Json.mapper().readTree(redacted))
        .isEqualTo(
            Json.mapper()
                .readTree(
                    "{\"name\":\"db1\",\"password\":\"****\",\"nested\":{\"apiKey\":\"****\","
                        + "\"items\":[{\"accessToken\":\"****\",\"size\":3}]},"
                        + "\"Credentials\":\"****\",\"Authorization\":\"****\"}"));
  }

  @Test
  void textThatIsNotJsonIsRedactedBestEffort() {
    String truncated = "{\"user\":\"admin\",\"password\":\"p4ss\",\"token\":12345,\"more\":\"cut";
    String form = "username=admin&password=p4ss&oauth_token=abc&comment=ok";

    assertThat(Redactor.redactJson(truncated))
        .isEqualTo("{\"user\":\"admin\",\"password\":\"****\",\"token\":\"****\",\"more\":\"cut");
    assertThat(Redactor.redactText(form))
        .isEqualTo("username=admin&password=****&oauth_token=****&comment=ok");
  }

  @Test
  void sensitiveHeadersAreMasked() {
    var headers = new LinkedHashMap<String, List<String>>();
    headers.put("Authorization", List.of("Basic YWRtaW46cDRzcw=="));
    headers.put("x-api-key", List.of("k"));
    headers.put("X-API-SECRET-KEY", List.of("s"));
    headers.put("X-Auth-Token", List.of("t"));
    headers.put("Cookie", List.of("session=1"));
    headers.put("Content-Type", List.of("application/json"));

    Map<String, List<String>> redacted = Redactor.redactHeaders(headers);

    assertThat(redacted)
        .containsEntry("Authorization", List.of("****"))
        .containsEntry("x-api-key", List.of("****"))
        .containsEntry("X-API-SECRET-KEY", List.of("****"))
        .containsEntry("X-Auth-Token", List.of("****"))
        .containsEntry("Cookie", List.of("****"))
        .containsEntry("Content-Type", List.of("application/json"));
    assertThat(redacted.toString()).doesNotContain("YWRtaW46cDRzcw==");
  }

  @Test
  void ordinaryNamesAreKept() {
    assertThat(Redactor.isSensitiveName("memory_size")).isFalse();
    assertThat(Redactor.isSensitiveName("name")).isFalse();
    assertThat(Redactor.isSensitiveName("PassPhrase")).isTrue();
  }

  @Test
  void scrubReplacesKnownSecretValues() {
    assertThat(Redactor.scrub("login as admin:hunter22 failed", List.of("hunter22", "ab")))
        .isEqualTo("login as admin:**** failed");
  }

  @Test
  void passwordsInUrisAreMaskedWhateverTheFieldsName() {
    String json =
        "{\"replica\":{\"syncSources\":[{\"endpoint\":\"redis://admin:s3cr3t@db:12000\"}]},"
            + "\"uris\":[\"ftp://u:pw@h/dir/\",\"redis://db:6379\"]}";

    String redacted = Redactor.redactJson(json);

    assertThat(redacted)
        .doesNotContain("s3cr3t")
        .doesNotContain(":pw@")
        .contains("redis://admin:****@db:12000")
        .contains("ftp://u:****@h/dir/")
        .contains("redis://db:6379");
    assertThat(Redactor.redactText("connect redis://:hunter22@10.0.0.1:6379 failed"))
        .isEqualTo("connect redis://:****@10.0.0.1:6379 failed");
  }
}
