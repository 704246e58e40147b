package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.NodeInfo;
import dev.opsflow.redis.enterprise.client.SshSession;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * SSH to a cluster node for rolling-upgrade-cluster: its address ({@code nodeHosts}'s entry, else
 * the node's {@code addr} and {@code sshPort}), the key ({@code sshKeyFile}, read when connecting,
 * never stored), the host key checked against {@code knownHostsFile}.
 */
public final class NodeSsh {
  private NodeSsh() {}

  /**
   * {@code host:port} of node {@code uid}.
   *
   * @param ctx the step's context, with the SSH inputs
   * @param node the node
   * @return the node's SSH address
   */
  public static String address(StepContext ctx, NodeInfo node) {
    for (String entry : ctx.get(OperationKeys.NODE_HOSTS).orElse("").split(",")) {
      String[] kv = entry.trim().split("=", 2);
      if (kv.length == 2 && kv[0].trim().equals(node.uid())) {
        String target = kv[1].trim();
        return target.contains(":")
            ? target
            : target + ":" + ctx.get(OperationKeys.SSH_PORT).orElse(22);
      }
    }
    return node.address() + ":" + ctx.get(OperationKeys.SSH_PORT).orElse(22);
  }

  /**
   * An authenticated session to the node.
   *
   * @param ctx the step's context, with the SSH inputs
   * @param node the node
   * @return the session; close it when done
   */
  public static SshSession connect(StepContext ctx, NodeInfo node) {
    String address = address(ctx, node);
    int colon = address.lastIndexOf(':');
    Path keyFile = ctx.require(OperationKeys.SSH_KEY_FILE);
    String key;
    try {
      key = Files.readString(keyFile);
    } catch (IOException e) {
      throw new ValidationException("sshKeyFile '" + keyFile + "' cannot be read");
    }
    try {
      return SshSession.connect(
          address.substring(0, colon),
          Integer.parseInt(address.substring(colon + 1)),
          ctx.require(OperationKeys.SSH_USER),
          key,
          ctx.require(OperationKeys.KNOWN_HOSTS_FILE));
    } catch (WorkflowException e) {
      throw new WorkflowException(
          e.kind(),
          "node " + node.uid() + ": " + e.getMessage(),
          e,
          e.retryable(),
          e.details(),
          e.suggestions());
    }
  }

  /**
   * The installer's command line: {@code [sudo -n] PATH FLAGS}.
   *
   * @param ctx the step's context, with the installer inputs
   * @return the command line
   */
  public static String command(StepContext ctx) {
    String flags = ctx.get(OperationKeys.INSTALLER_FLAGS).orElse("-y").trim();
    return (ctx.get(OperationKeys.SUDO).orElse(true) ? "sudo -n " : "")
        + ctx.require(OperationKeys.INSTALLER_PATH)
        + (flags.isEmpty() ? "" : " " + flags);
  }

  static WorkflowException installFailed(NodeInfo node, SshSession.Result result) {
    String err = result.stderr().strip();
    return new WorkflowException(
        ErrorKind.REMOTE_FAILURE,
        "the installer on node "
            + node.uid()
            + " exited with "
            + result.exitCode()
            + (err.isEmpty() ? "" : ": " + err.substring(0, Math.min(500, err.length()))),
        null,
        false,
        java.util.Map.of("nodeUid", node.uid(), "exitCode", result.exitCode()),
        java.util.List.of(
            "node "
                + node.uid()
                + " is in maintenance mode with its old software: fix the installer's problem and"
                + " resume, or take it out with maintenance_off",
            "the nodes after it are untouched"));
  }
}
