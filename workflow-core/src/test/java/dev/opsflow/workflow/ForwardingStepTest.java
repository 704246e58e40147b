package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForwardingStepTest {
  private final ManualClock clock = new ManualClock();
  private final WorkflowEngine engine =
      WorkflowEngine.builder().clock(clock).sleeper(clock).build();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void everyCallNotOverriddenGoesToTheWrappedStep() throws Exception {
    var calls = new ArrayList<String>();
    Step inner =
        Step.builder("inner")
            .run(ctx -> calls.add("run"))
            .precheck(ctx -> Optional.of("done already"))
            .compensate(ctx -> calls.add("compensate"))
            .describe(ctx -> "would do the inner thing")
            .readOnly()
            .build();
    Step outer = new ForwardingStep(inner) {};

    assertThat(outer.name()).isEqualTo("inner");
    assertThat(outer.precheck(null)).contains("done already");
    assertThat(outer.hasCompensation()).isTrue();
    assertThat(outer.describe(null)).isEqualTo("would do the inner thing");
    assertThat(outer.readOnly()).isTrue();
    outer.run(null);
    outer.compensate(null);
    assertThat(calls).containsExactly("run", "compensate");
  }

  @Test
  void aForwardingPollingStepPollsThroughItsOwnPollWhenItPollsInPlace() {
    var seen = new ArrayList<Integer>();
    PollingStep inner =
        (PollingStep)
            Step.poll(
                "wait",
                (ctx, polling) ->
                    polling.count() < 3 ? Poll.again(Duration.ofMinutes(1)) : Poll.done());
    Step counted =
        new ForwardingPollingStep(inner) {
          @Override
          public Poll poll(StepContext ctx, Polling polling) throws Exception {
            seen.add(polling.count());
            return super.poll(ctx, polling);
          }
        };

    WorkflowResult result = engine.run(Workflow.builder("wf").step(counted).build(), Map.of());

    assertThat(result.success()).isTrue();
    assertThat(seen).isEqualTo(List.of(1, 2, 3));
    assertThat(counted).isInstanceOf(PollingStep.class);
  }
}
