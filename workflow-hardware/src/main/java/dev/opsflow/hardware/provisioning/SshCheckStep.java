package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.ssh.SshClient;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs {@code sshCheckCommand} ({@code uname -a} by default) on the machine's first MAAS address
 * over SSH; a non-zero exit fails the step with the exit code and stderr. Only with an {@code
 * sshUser} (else skipped); a machine without an address fails. Changes nothing: no compensation.
 */
public final class SshCheckStep extends HardwareStep {
  /** The command run when {@code sshCheckCommand} is not given. */
  public static final String DEFAULT_COMMAND = "uname -a";

  /**
   * The step, named {@code ssh-check}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public SshCheckStep(HardwareClients clients, DeviceCatalog catalog) {
    super("ssh-check", clients, catalog);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.get(ProvisioningKeys.SSH_USER).isPresent()
        ? Optional.empty()
        : Optional.of("no sshUser given: no SSH check");
  }

  @Override
  public void run(StepContext ctx) {
    List<String> ips = ctx.get(ProvisioningKeys.MACHINE_IPS).orElse(List.of());
    if (ips.isEmpty()) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          "MAAS machine " + systemId(ctx) + " has no IP address to check over SSH",
          null,
          false,
          java.util.Map.of("systemId", systemId(ctx)),
          List.of(
              "MAAS assigns addresses at deployment: leave sshUser out for a machine that is"
                  + " only commissioned, or deploy it first"));
    }
    String host = ips.get(0);
    String command = ctx.get(ProvisioningKeys.SSH_CHECK_COMMAND).orElse(DEFAULT_COMMAND);
    ctx.subTask("Connecting to " + host + " over SSH");
    try (SshClient ssh = clients().ssh(ctx, host)) {
      ctx.subTask("Running '" + command + "' on " + host);
      String out = ssh.execChecked(command, Duration.ofMinutes(2));
      ctx.log().info("SSH check on {}: {}", host, out.strip());
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return ctx.get(ProvisioningKeys.SSH_USER).isPresent()
        ? "run '"
            + ctx.get(ProvisioningKeys.SSH_CHECK_COMMAND).orElse(DEFAULT_COMMAND)
            + "' on the machine over SSH"
        : "no SSH check (no sshUser)";
  }
}
