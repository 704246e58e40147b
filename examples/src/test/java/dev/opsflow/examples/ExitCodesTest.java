package dev.opsflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.ErrorInfo;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.WorkflowResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A finished run's exit status, for each way a run ends (the README's table). */
class ExitCodesTest {

  private static WorkflowResult ended(RunState state, ErrorKind kind, Map<String, Object> details) {
    var error =
        kind == null
            ? null
            : new ErrorInfo(kind, "it failed", "step", null, details, List.of(), false);
    return new WorkflowResult(
        "r1",
        "wf",
        1,
        state == RunState.COMPLETED,
        state,
        "m",
        Map.of(),
        List.of(),
        error,
        false,
        Instant.EPOCH,
        Instant.EPOCH);
  }

  private static int code(RunState state, ErrorKind kind) {
    return ExitCodes.of(ended(state, kind, Map.of())).code;
  }

  private static int api(int httpStatus) {
    return ExitCodes.of(ended(RunState.FAILED, ErrorKind.API, Map.of("status", httpStatus))).code;
  }

  @Test
  void eachWayARunEndsHasItsOwnStatus() {
    assertThat(code(RunState.COMPLETED, null)).isZero();
    assertThat(code(RunState.FAILED, ErrorKind.STEP_FAILED)).isEqualTo(1);
    assertThat(code(RunState.FAILED, ErrorKind.INTERNAL)).isEqualTo(1);
    assertThat(code(RunState.FAILED, ErrorKind.CONFIGURATION)).isEqualTo(3);
    assertThat(code(RunState.FAILED, ErrorKind.AUTH)).isEqualTo(4);
    assertThat(api(401)).isEqualTo(4);
    assertThat(api(403)).isEqualTo(4);
    assertThat(api(404)).isEqualTo(5);
    assertThat(code(RunState.FAILED, ErrorKind.VALIDATION)).isEqualTo(6);
    assertThat(api(409)).isEqualTo(7);
    assertThat(api(500)).isEqualTo(8);
    assertThat(code(RunState.FAILED, ErrorKind.REMOTE_FAILURE)).isEqualTo(8);
    assertThat(code(RunState.FAILED, ErrorKind.PROTOCOL)).isEqualTo(8);
    assertThat(api(429)).isEqualTo(9);
    assertThat(code(RunState.FAILED, ErrorKind.CONNECTION)).isEqualTo(10);
    assertThat(code(RunState.FAILED, ErrorKind.TIMEOUT)).isEqualTo(11);
    assertThat(code(RunState.CANCELLED, ErrorKind.TIMEOUT)).as("the run's timeout").isEqualTo(11);
    assertThat(code(RunState.CANCELLED, ErrorKind.CANCELLED)).isEqualTo(12);
    assertThat(code(RunState.ROLLED_BACK, ErrorKind.CANCELLED)).isEqualTo(12);
    assertThat(code(RunState.PARTIAL, ErrorKind.REMOTE_FAILURE)).as("work kept").isEqualTo(13);
    assertThat(code(RunState.PARTIAL, ErrorKind.STEP_FAILED)).as("work kept").isEqualTo(13);
    assertThat(code(RunState.PARTIAL, ErrorKind.AUTH)).as("a more specific cause").isEqualTo(4);
  }

  @Test
  void everyStatusIsDistinct() {
    assertThat(List.of(ExitCodes.values()).stream().map(e -> e.code).distinct())
        .hasSize(ExitCodes.values().length);
  }
}
