package dev.opsflow.redis.cloud.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskFailedExceptionTest {

  @Test
  void suggestionsKeepTheTaskAndItsError() {
    var task =
        new Task(
            "7e9a-41", "subscriptionCreateRequest", Task.ERROR, null, "2026-12-04T10:00:00Z", null);
    var failed =
        new TaskFailedException(
            task,
            new TaskError(
                "SUBSCRIPTION_NAME_IN_USE", "400 BAD_REQUEST", "Subscription name in use"));

    TaskFailedException more = failed.withSuggestions(List.of("pick another name"));

    assertThat(more.getMessage()).isEqualTo(failed.getMessage());
    assertThat(more.taskId()).isEqualTo("7e9a-41");
    assertThat(more.commandType()).isEqualTo("subscriptionCreateRequest");
    assertThat(more.errorType()).isEqualTo("SUBSCRIPTION_NAME_IN_USE");
    assertThat(more.errorStatus()).isEqualTo("400 BAD_REQUEST");
    assertThat(more.description()).isEqualTo("Subscription name in use");
    assertThat(more.status()).isEqualTo(failed.status());
    assertThat(more.retryable()).isFalse();
    assertThat(more.suggestions()).containsExactly("pick another name");
  }
}
