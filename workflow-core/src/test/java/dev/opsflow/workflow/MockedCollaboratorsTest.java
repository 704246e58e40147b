package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.isA;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.spi.SecretResolver;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The engine's calls to the host's collaborators, where the calls themselves are the behaviour: a
 * {@link SecretResolver} is asked exactly for a resumed run's secret inputs, and every listener
 * gets every event in order even when another listener throws. Mockito records the calls.
 */
class MockedCollaboratorsTest {
  static final Key<String> HOST = Key.of("host", String.class);
  static final Key<Secret> PASSWORD = Key.of("password", Secret.class);
  static final Key<Secret> TOKEN = Key.of("token", Secret.class);

  @Test
  void aResumedRunAsksTheResolverOnceForEachSecretInputAndANewRunNever() {
    var healthy = new AtomicBoolean(false);
    Workflow login =
        Workflow.builder("login")
            .input(Input.required(HOST))
            .input(Input.secret(PASSWORD))
            .input(Input.secret(TOKEN))
            .step("connect", ctx -> ctx.require(PASSWORD))
            .step(
                "verify",
                ctx -> {
                  if (!healthy.get()) {
                    throw new IllegalStateException("not yet");
                  }
                  ctx.output("ok", ctx.require(TOKEN).reveal().equals("t-1"));
                })
            .build();
    SecretResolver vault = mock(SecretResolver.class);
    when(vault.resolve(any(), any(), any())).thenReturn(Optional.empty());
    when(vault.resolve("login", "run-1", "password")).thenReturn(Optional.of(Secret.of("p-1")));
    when(vault.resolve("login", "run-1", "token")).thenReturn(Optional.of(Secret.of("t-1")));

    try (var engine = WorkflowEngine.builder().secretResolver(vault).build()) {
      WorkflowResult partial =
          engine.run(
              login,
              Map.of("host", "db-01", "password", "p-1", "token", "t-1"),
              RunOptions.defaults().withRunId("run-1"));
      assertThat(partial.status()).isEqualTo(RunState.PARTIAL);
      verifyNoInteractions(vault);

      healthy.set(true);
      WorkflowResult resumed = engine.resume("run-1", login).await(Duration.ofSeconds(30));

      assertThat(resumed.status()).isEqualTo(RunState.COMPLETED);
      assertThat(resumed.outputs()).containsEntry("ok", true);
    }
    verify(vault).resolve("login", "run-1", "password");
    verify(vault).resolve("login", "run-1", "token");
    verifyNoMoreInteractions(vault);
  }

  @Test
  void everyListenerGetsEveryEventInOrderEvenWhenAnotherThrows() {
    WorkflowListener broken = mock(WorkflowListener.class);
    doThrow(new IllegalStateException("dashboard is down")).when(broken).onEvent(any());
    WorkflowListener audit = mock(WorkflowListener.class);

    try (var engine = WorkflowEngine.builder().listener(broken).listener(audit).build()) {
      WorkflowResult result =
          engine.run(Workflow.builder("w").step("only", ctx -> {}).build(), Map.of());
      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    }

    var order = inOrder(audit);
    order.verify(audit).onEvent(isA(WorkflowEvent.RunStarted.class));
    order.verify(audit).onEvent(isA(WorkflowEvent.StepStarted.class));
    order.verify(audit).onEvent(isA(WorkflowEvent.StepSucceeded.class));
    order.verify(audit).onEvent(isA(WorkflowEvent.RunFinished.class));
    verify(broken, times(4)).onEvent(any());
    verifyNoMoreInteractions(audit);
  }
}
