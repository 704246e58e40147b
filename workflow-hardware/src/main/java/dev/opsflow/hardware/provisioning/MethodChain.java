package dev.opsflow.hardware.provisioning;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Serves a {@link Capability} with the first method of its chain that can: a method that cannot
 * ({@link MethodUnavailableException}: 404 on the resource, tool not installed, a capability the
 * protocol lacks) is skipped with its reason; one that fails with a retryable error is retried
 * under the clients' method retry policy (Failsafe, waiting on the run's sleeper) and, when that
 * gives up, the next method is tried; any other error (validation, authentication, a failed
 * operation) stops the chain and fails the step.
 *
 * <p>Which method served and why the others were skipped is kept in the context ({@code
 * hw.methods}) and in the run's output {@code methods}: {@code {"read_bios": {"servedBy":
 * "vendor_tools", "skipped": {"redfish": "the Redfish system ... has no Bios resource (404)"}}}}.
 */
final class MethodChain {
  @SuppressWarnings({"unchecked", "rawtypes"})
  static final Key<Map<String, Object>> METHODS = (Key) Key.of("hw.methods", Map.class);

  private MethodChain() {}

  /** The chain of {@code capability} for this run: see {@link HardwareClients#methods}. */
  static List<AccessMethod> order(
      StepContext ctx, HardwareClients clients, DeviceType type, Capability capability) {
    if (capability == Capability.BMC_NETWORK
        && ctx.get(ProvisioningKeys.BMC_NETWORK_VIA).orElse(null) == BmcNetworkMethod.IPMI) {
      return List.of(AccessMethod.IPMI);
    }
    List<AccessMethod> typed = type.methods().get(capability);
    return typed != null && !typed.isEmpty() ? typed : clients.methods(capability);
  }

  /** Runs {@code operation} with the first method of the chain that serves it. */
  static <T> T call(
      StepContext ctx,
      HardwareClients clients,
      DeviceType type,
      Capability capability,
      Function<ServerAccess, T> operation) {
    List<AccessMethod> order = order(ctx, clients, type, capability);
    var skipped = new LinkedHashMap<String, String>();
    RetryPolicy<Object> policy = clients.methodRetry();
    for (AccessMethod method : order) {
      Execution<Object> attempts = Execution.of(policy);
      while (true) {
        try (ServerAccess access = clients.access(ctx, type, method)) {
          T value = operation.apply(access);
          record(ctx, capability, method, skipped);
          return value;
        } catch (MethodUnavailableException e) {
          skipped.put(method.configName(), e.getMessage());
          break;
        } catch (RuntimeException e) {
          if (!Retries.isRetryable(e)) {
            throw e;
          }
          attempts.recordException(e);
          if (attempts.isComplete()) {
            skipped.put(
                method.configName(),
                "failed after "
                    + attempts.getAttemptCount()
                    + " attempt(s): "
                    + Retries.messageOf(e));
            break;
          }
          Duration delay = attempts.getDelay();
          ctx.subTask(
              capability.configName()
                  + " via "
                  + method.configName()
                  + " failed ("
                  + Retries.messageOf(e)
                  + "); retrying in "
                  + delay.toMillis()
                  + " ms");
          ctx.sleep(delay);
        }
      }
    }
    throw new WorkflowException(
        ErrorKind.CONFIGURATION,
        "no method could "
            + capability.configName().replace('_', ' ')
            + " on "
            + ctx.get(ProvisioningKeys.SYSTEM_ID).orElse("the server")
            + ": "
            + describe(skipped),
        null,
        false,
        Map.of("capability", capability.configName(), "skipped", skipped),
        List.of(
            "give the device type a vendor tool (vendorTools) and the run sshUser, or use a"
                + " method the BMC has (methods."
                + capability.configName()
                + ")"));
  }

  private static String describe(Map<String, String> skipped) {
    var parts = new ArrayList<String>();
    skipped.forEach((m, reason) -> parts.add(m + ": " + reason));
    return String.join("; ", parts);
  }

  private static void record(
      StepContext ctx, Capability capability, AccessMethod method, Map<String, String> skipped) {
    var all = new LinkedHashMap<String, Object>(ctx.get(METHODS).orElse(Map.of()));
    var entry = new LinkedHashMap<String, Object>();
    entry.put("servedBy", method.configName());
    entry.put("skipped", new LinkedHashMap<>(skipped));
    all.put(capability.configName(), entry);
    ctx.put(METHODS, all);
    ctx.output("methods", all);
    if (!skipped.isEmpty()) {
      ctx.subTask(
          capability.configName()
              + " via "
              + method.configName()
              + " (skipped "
              + describe(skipped)
              + ")");
    }
  }
}
