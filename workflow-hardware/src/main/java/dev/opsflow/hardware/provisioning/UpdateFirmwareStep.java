package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.redfish.RedfishTask;
import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Updates each out-of-date component of the {@link FirmwarePlan}, one at a time, through the chain
 * of {@code firmware_update}: Redfish's {@code UpdateService.SimpleUpdate} with the image URI and
 * the inventory entry as target, then following the task monitor to a final TaskState within the
 * device type's firmware timeout; else the device type's vendor tool over SSH ({@code racadm update
 * -f}, {@code ilorest flashfwpkg}, {@code sum -c UpdateBios}) with the image uploaded to the
 * server, then polling the inventory (resetting once when the new version waits for a reboot). IPMI
 * cannot update firmware. Exception, Killed or Cancelled fails the step with the task's messages;
 * the updates completed before stay done.
 *
 * <p>Skipped when the firmware is up to date. A {@link PollingStep}: between polls a started run
 * holds no thread; the update in flight (its task monitor) is kept in the context, so a poll never
 * starts an update twice. Firmware cannot be rolled back here: no compensation.
 */
public final class UpdateFirmwareStep extends HardwareStep implements PollingStep {
  private static final dev.opsflow.workflow.Key<Long> STARTED_AT =
      dev.opsflow.workflow.Key.of("hw.firmwareStartedAt", Long.class);
  private static final dev.opsflow.workflow.Key<Boolean> IN_BAND_RESET =
      dev.opsflow.workflow.Key.of("hw.firmwareInBandReset", Boolean.class);

  /**
   * The step, named {@code update-firmware}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public UpdateFirmwareStep(HardwareClients clients, DeviceCatalog catalog) {
    super("update-firmware", clients, catalog);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    FirmwarePlan plan = ctx.require(ProvisioningKeys.FIRMWARE_PLAN);
    return plan.isEmpty()
        ? Optional.of(
            "firmware up to date: "
                + deviceType(ctx).firmware().stream()
                    .map(t -> t.component() + " " + t.version())
                    .toList())
        : Optional.empty();
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    List<FirmwarePlan.Update> updates = ctx.require(ProvisioningKeys.FIRMWARE_PLAN).updates();
    int done = ctx.get(ProvisioningKeys.FIRMWARE_DONE).orElse(0);
    Optional<String> monitor = ctx.get(ProvisioningKeys.FIRMWARE_MONITOR);
    if (monitor.isEmpty()) {
      if (done >= updates.size()) {
        ctx.progress(100);
        return Poll.done();
      }
      FirmwarePlan.Update next = updates.get(done);
      ctx.subTask(
          "Updating firmware " + (done + 1) + "/" + updates.size() + ": " + next.describe());
      String started =
          chain(ctx, Capability.FIRMWARE_UPDATE, access -> access.startFirmwareUpdate(next));
      ctx.put(ProvisioningKeys.FIRMWARE_MONITOR, started);
      ctx.put(STARTED_AT, ctx.clock().millis());
      ctx.put(IN_BAND_RESET, false);
      return Poll.again(
          started.startsWith(ServerAccess.IN_BAND) ? Duration.ZERO : Duration.ofSeconds(10));
    }
    FirmwarePlan.Update current = updates.get(done);
    if (monitor.get().startsWith(ServerAccess.IN_BAND)) {
      return pollInBand(ctx, current, done);
    }
    Instant since =
        Instant.ofEpochMilli(ctx.get(STARTED_AT).orElse(polling.since().toEpochMilli()));
    RedfishTask[] seen = {null};
    Poll poll;
    try {
      poll =
          Await.<RedfishTask>on(
                  ctx, "firmware update " + current.describe() + " (task " + monitor.get() + ")")
              .every(Duration.ofSeconds(10))
              .timeout(deviceType(ctx).timeouts().firmware())
              .onPoll(t -> seen[0] = t)
              .failWhen(RedfishTask::isFailed)
              .poll(
                  new Polling(1, since),
                  () -> withRedfish(ctx, bmc -> bmc.task(monitor.get())),
                  t -> t.isFinished() && !t.isFailed(),
                  RedfishTask::describe);
    } catch (WorkflowException e) {
      if (e.kind() != ErrorKind.REMOTE_FAILURE || seen[0] == null) {
        throw e;
      }
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          "firmware update "
              + current.describe()
              + " ended in "
              + seen[0].state()
              + ": "
              + (seen[0].messages().isEmpty()
                  ? "no message"
                  : String.join("; ", seen[0].messages())),
          e,
          false,
          Map.of(
              "component", current.target().component(),
              "taskMonitor", monitor.get(),
              "taskState", seen[0].state(),
              "messages", seen[0].messages()),
          List.of(
              "check the image at " + current.target().imageUri() + " and the BMC's logs",
              "run the workflow again: updates that completed are not repeated"));
    }
    if (seen[0] != null && seen[0].percentComplete() != null) {
      int share = 100 / updates.size();
      ctx.progress(done * share + seen[0].percentComplete() * share / 100);
    }
    if (!poll.isDone()) {
      return poll;
    }
    ctx.subTask("Firmware " + current.describe() + ": " + seen[0].state());
    verifyInstalled(ctx, current);
    ctx.put(ProvisioningKeys.FIRMWARE_DONE, done + 1);
    ctx.put(ProvisioningKeys.FIRMWARE_MONITOR, null);
    return Poll.again(Duration.ZERO);
  }

  /**
   * An update a vendor tool flashed in band has no task: done when the inventory shows the new
   * version; a BIOS flashed by racadm or sum applies at the next reboot, so when the version has
   * not changed yet the server is reset once (chain {@code power}) and the inventory polled again,
   * within the device type's firmware timeout.
   */
  private Poll pollInBand(StepContext ctx, FirmwarePlan.Update current, int done) {
    String version = installedVersion(ctx, current);
    if (current.target().version().equals(version)) {
      ctx.subTask("Firmware " + current.target().component() + " reads back " + version);
      ctx.put(ProvisioningKeys.FIRMWARE_DONE, done + 1);
      ctx.put(ProvisioningKeys.FIRMWARE_MONITOR, null);
      return Poll.again(Duration.ZERO);
    }
    long started = ctx.get(STARTED_AT).orElse(ctx.clock().millis());
    Duration timeout = deviceType(ctx).timeouts().firmware();
    if (ctx.clock().millis() - started > timeout.toMillis()) {
      throw new WorkflowException(
          ErrorKind.TIMEOUT,
          "firmware update "
              + current.describe()
              + " was flashed in band, but the inventory still shows version "
              + version
              + " after "
              + timeout,
          null,
          false,
          Map.of("component", current.target().component(), "version", String.valueOf(version)),
          List.of("check the server's update job queue and the BMC's logs"));
    }
    if (!ctx.get(IN_BAND_RESET).orElse(false)) {
      ctx.subTask(
          "Firmware " + current.target().component() + " applies at the next reboot: resetting");
      ApplyBiosSettingsStep.reset(this, ctx);
      ctx.put(IN_BAND_RESET, true);
    }
    return Poll.again(Duration.ofSeconds(30));
  }

  private String installedVersion(StepContext ctx, FirmwarePlan.Update update) {
    return chain(ctx, Capability.FIRMWARE_INVENTORY, ServerAccess::firmwareInventory).stream()
        .filter(i -> i.uri().equals(update.inventoryUri()))
        .map(dev.opsflow.hardware.redfish.FirmwareItem::version)
        .findFirst()
        .orElse(null);
  }

  /** A completed task is not enough: the inventory must show the new version. */
  private void verifyInstalled(StepContext ctx, FirmwarePlan.Update update) {
    String version = installedVersion(ctx, update);
    if (!update.target().version().equals(version)) {
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          "firmware update "
              + update.describe()
              + " completed, but the inventory shows version "
              + version,
          null,
          false,
          Map.of("component", update.target().component(), "version", String.valueOf(version)),
          List.of("check the image at " + update.target().imageUri() + " and the BMC's logs"));
    }
    ctx.subTask("Firmware " + update.target().component() + " reads back " + version);
  }

  @Override
  public String describe(StepContext ctx) {
    return ctx.get(ProvisioningKeys.FIRMWARE_PLAN)
        .map(
            p ->
                p.isEmpty()
                    ? "firmware up to date: nothing to update"
                    : "update firmware "
                        + p.updates().stream().map(FirmwarePlan.Update::describe).toList()
                        + " (SimpleUpdate, following each task)")
        .orElse("update the out-of-date firmware");
  }
}
