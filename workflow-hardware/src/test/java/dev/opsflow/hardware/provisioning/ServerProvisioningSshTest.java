package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * server-provisioning with the SSH check, on MINA's embedded SSH server standing in for the machine
 * (its MAAS address is 127.0.0.1), and rollback when the check fails.
 */
class ServerProvisioningSshTest {
  private static final String USER = "ubuntu";
  private static final String PASSWORD = "ssh-Pa55-w0rd";
  private static SshServer server;
  private static KeyPair hostKey;

  private final SimulatedHardware hw = new SimulatedHardware();
  private final Workflow workflow = HardwareWorkflows.serverProvisioning(hw.clients, hw.catalog);

  @BeforeAll
  static void startServer() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    hostKey = generator.generateKeyPair();
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPasswordAuthenticator((u, p, s) -> USER.equals(u) && PASSWORD.equals(p));
    server.setCommandFactory(ProcessShellCommandFactory.INSTANCE);
    server.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.stop(true);
  }

  @AfterEach
  void close() {
    hw.close();
  }

  private Map<String, Object> inputs(String systemId, String command) {
    hw.maas.assignIpAddress(systemId, "127.0.0.1");
    var in = hw.inputs(systemId);
    in.put("targetBmcIp", "192.168.1.100");
    in.put("targetBmcGateway", "192.168.1.1");
    in.put("tags", "provisioned,rack-12");
    in.put("sshUser", USER);
    in.put("sshPassword", Secret.of(PASSWORD));
    in.put("sshPort", server.getPort());
    in.put("sshHostKey", PublicKeyEntry.toString(hostKey.getPublic()));
    in.put("sshCheckCommand", command);
    return in;
  }

  @Test
  void theCheckRunsOnTheMachinesMaasAddress(@TempDir Path dir) {
    String id = hw.maas.addMachine("node1");
    Path marker = dir.resolve("checked");

    WorkflowResult result = hw.engine.run(workflow, inputs(id, "touch " + marker));

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(result.step("ssh-check").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(marker).exists();
    assertThat(hw.maas.requests())
        .anyMatch(r -> r.query().equals("op=commission") && r.body().contains("enable_ssh=1"));
  }

  @Test
  void aFailedCheckWithRollbackRestoresBiosAndBmcAndKeepsTagsItDidNotAdd() {
    String id = hw.maas.addMachine("node1");
    var maas = hw.maasClient();
    maas.createTag("rack-12", "placed before the run");
    maas.addTag("rack-12", List.of(id));
    Map<String, Object> biosBefore = hw.biosAttributes();

    WorkflowResult result =
        hw.engine.run(
            workflow,
            inputs(id, "echo 'cloud-init: error' >&2; exit 3"),
            RunOptions.defaults().withRollback(true));

    assertThat(result.status()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(result.error().message()).contains("exited with 3").contains("cloud-init: error");
    assertThat(hw.biosAttributes()).isEqualTo(biosBefore);
    var nic = hw.bmc.resource("/redfish/v1/Managers/BMC/EthernetInterfaces/eth0");
    assertThat(nic.path("DHCPv4").path("DHCPEnabled").asBoolean()).isTrue();
    assertThat(maas.machine(id).tagNames()).contains("rack-12").doesNotContain("provisioned");
    assertThat(hw.maas.requests())
        .filteredOn(r -> r.path().contains("/tags/") && r.query().equals("op=update_nodes"))
        .noneMatch(r -> r.body().contains("remove=") && r.path().contains("rack-12"));
    String json = result.toJson();
    assertThat(json).doesNotContain(PASSWORD);
    for (WorkflowEvent e : hw.events) {
      assertThat(Json.mapper().writeValueAsString(e)).doesNotContain(PASSWORD);
    }
  }
}
