package dev.opsflow.dashboard;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Workflows for the dashboard's tests. {@code gated} moves through its sub-tasks only when the test
 * opens the gate of each, so a test sees every state it checks for as long as it needs.
 */
final class TestWorkflows {
  static final Key<String> SERVER = Key.of("server", String.class);
  static final Key<Integer> DISKS = Key.of("disks", Integer.class);
  static final Key<Secret> BMC_PASSWORD = Key.of("bmcPassword", Secret.class);
  static final Key<Boolean> FAIL = Key.of("fail", Boolean.class);

  /** Gates by server and phase: a step waits at {@code (server, phase)} until it is opened. */
  static final class Gates {
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    CountDownLatch gate(String server, int phase) {
      return gates.computeIfAbsent(server + "#" + phase, k -> new CountDownLatch(1));
    }

    void open(String server, int phase) {
      gate(server, phase).countDown();
    }

    void await(String server, int phase) throws InterruptedException {
      if (!gate(server, phase).await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate " + server + "#" + phase + " was never opened");
      }
    }
  }

  private TestWorkflows() {}

  /**
   * {@code provision-server}: check, then configure in two sub-tasks each behind a gate, then
   * finalize. A server named in {@code fail} fails at configure.
   */
  static Workflow gated(Gates gates) {
    return Workflow.builder("provision-server")
        .description("Provision one server: check it, configure its BIOS and BMC, tag it")
        .input(
            Input.required(SERVER)
                .check(s -> s.matches("[a-z0-9-]+"), "a server id such as srv-001")
                .describedAs("the server's id"))
        .input(Input.optional(DISKS, 2).check(n -> n > 0 && n <= 24, "1 to 24 disks"))
        .input(Input.secret(BMC_PASSWORD).optional().describedAs("the BMC's password"))
        .input(Input.optional(FAIL, false).describedAs("fail at configure (for tests)"))
        .step("check", ctx -> ctx.subTask("Checking " + ctx.require(SERVER)))
        .step(
            "configure",
            ctx -> {
              String server = ctx.require(SERVER);
              ctx.subTask("Exporting BIOS config of " + server);
              gates.await(server, 1);
              ctx.progress(50);
              ctx.subTask("Applying BMC settings of " + server);
              gates.await(server, 2);
              if (Boolean.TRUE.equals(ctx.get(FAIL).orElse(false))) {
                throw new WorkflowException(
                    ErrorKind.REMOTE_FAILURE,
                    "BMC of " + server + " refused the settings",
                    null,
                    false,
                    Map.of("server", server),
                    java.util.List.of("check the BMC's firmware, then resume"));
              }
            })
        .step(
            "finalize",
            ctx -> {
              ctx.subTask("Tagging " + ctx.require(SERVER));
              ctx.output("tag", "provisioned-" + ctx.require(SERVER));
            })
        .build();
  }
}
