package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.maas.MaasClient;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.batch.BatchOptions;
import dev.opsflow.workflow.batch.BatchResult;
import dev.opsflow.workflow.batch.ItemState;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A host of its own for {@link BatchCrashProcessesTest}: runs one batch of {@code
 * commission-server} on a file store in this JVM, against simulators in the parent's JVM. Its one
 * argument is a properties file: {@code store}, {@code batchId}, {@code csv} (the server inventory,
 * passwords by {@code @file:}), {@code maasUrl}, {@code maasKeyFile}, {@code range}, {@code
 * gateway}, {@code netmask}, {@code pem} (the BMCs' certificate), {@code owner}. Prints {@code
 * STARTED <runId>} when a server's run starts and {@code RESULT <succeeded>} at the end; a 1 s
 * lease lets another host take over its runs soon after it is killed.
 */
public final class BatchProcessChild {
  private BatchProcessChild() {}

  /** Runs the batch the properties file describes. */
  public static void main(String[] args) throws Exception {
    var spec = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
      spec.load(in);
    }
    ServerInventory inventory = ServerInventory.read(Path.of(spec.getProperty("csv")));
    String pem = Files.readString(Path.of(spec.getProperty("pem")));
    Secret maasKey = Secret.of(Files.readString(Path.of(spec.getProperty("maasKeyFile"))).strip());
    String maasUrl = spec.getProperty("maasUrl");
    FileExecutionStore store = FileExecutionStore.open(Path.of(spec.getProperty("store")));
    HardwareClients clients =
        HardwareClients.fromContext()
            .withRedfish(
                s ->
                    s.withHttp(
                        s.http()
                            .withBaseUri(SimulatedHardware.loopback(s.http().baseUri()))
                            .withTrustedPem(pem)));
    try (var engine =
        WorkflowEngine.builder()
            .store(store)
            .ownerId(spec.getProperty("owner"))
            .lease(Duration.ofSeconds(1))
            .secretResolver(
                inventory.secretResolver(
                    store,
                    (workflow, runId, input) ->
                        input.equals("maasApiKey") ? Optional.of(maasKey) : Optional.empty()))
            .listener(
                e -> {
                  if (e instanceof WorkflowEvent.StepStarted s && s.step().equals("check-inputs")) {
                    System.out.println("STARTED " + s.runId());
                    System.out.flush();
                  }
                })
            .build()) {
      BatchResult result =
          BatchCommissioning.of(inventory.servers())
              .withBmcNetwork(
                  spec.getProperty("range"),
                  spec.getProperty("gateway"),
                  spec.getProperty("netmask"))
              .withInputs(Map.of("maasUrl", maasUrl, "maasApiKey", maasKey, "tags", "provisioned"))
              .withOptions(
                  BatchOptions.defaults()
                      .withBatchId(spec.getProperty("batchId"))
                      .withMaxParallel(2)
                      .withContinueOnError(true))
              .run(
                  engine,
                  HardwareWorkflows.commissionServer(clients, DeviceCatalog.defaults()),
                  MaasClient.create(maasUrl, maasKey));
      System.out.println("RESULT " + result.items(ItemState.SUCCEEDED).size());
      System.out.flush();
    }
    System.exit(0);
  }
}
