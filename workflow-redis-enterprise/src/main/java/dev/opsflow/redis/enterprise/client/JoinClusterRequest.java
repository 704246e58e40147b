package dev.opsflow.redis.enterprise.client;

import dev.opsflow.workflow.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /v1/bootstrap/join_cluster}: a fresh node joins the cluster one of whose
 * nodes is at {@code clusterNodes}, authenticating with the cluster admin's credentials. Immutable;
 * the password prints as {@code ****} and is revealed only when the request is sent.
 *
 * @param clusterNodes addresses of existing cluster nodes ({@code cluster.nodes})
 * @param username the cluster admin's email or name
 * @param password the cluster admin's password
 * @param cnmHttpsPort the cluster's REST port when it is not 9443 ({@code cnm_https_port}), or 0
 * @param persistentPath the node's persistent storage path, or null for the default
 * @param ephemeralPath the node's ephemeral storage path, or null for the default
 */
public record JoinClusterRequest(
    List<String> clusterNodes,
    String username,
    Secret password,
    int cnmHttpsPort,
    String persistentPath,
    String ephemeralPath) {

  /**
   * Checks that at least one node address is given and none is blank, that the username is not
   * blank and the password not null, and that the port is in range; copies the node list.
   *
   * @param clusterNodes addresses of existing cluster nodes ({@code cluster.nodes}), at least one,
   *     none null or blank
   * @param username the cluster admin's email or name, not blank
   * @param password the cluster admin's password, not null
   * @param cnmHttpsPort the cluster's REST port when it is not 9443 ({@code cnm_https_port}), or 0
   *     for the default; 0-65535
   * @param persistentPath the node's persistent storage path, or null for the default
   * @param ephemeralPath the node's ephemeral storage path, or null for the default
   * @throws IllegalArgumentException if no node address is given or one is null or blank, the
   *     username is null or blank, or the port is outside 0-65535
   * @throws NullPointerException if {@code password} is null
   */
  public JoinClusterRequest {
    clusterNodes = clusterNodes == null ? List.of() : List.copyOf(clusterNodes);
    if (clusterNodes.isEmpty() || clusterNodes.stream().anyMatch(a -> a == null || a.isBlank())) {
      throw new IllegalArgumentException(
          "clusterNodes must name at least one cluster node's address, was " + clusterNodes);
    }
    if (username == null || username.isBlank()) {
      throw new IllegalArgumentException("username must not be blank");
    }
    Objects.requireNonNull(password, "password must not be null");
    if (cnmHttpsPort < 0 || cnmHttpsPort > 65535) {
      throw new IllegalArgumentException("cnmHttpsPort must be 0-65535, was " + cnmHttpsPort);
    }
  }

  /**
   * The common case: one node's address and the admin's credentials, default port and paths.
   *
   * @param clusterNode the address of one existing cluster node, not blank
   * @param username the cluster admin's email or name, not blank
   * @param password the cluster admin's password, not null
   * @return the request, with port 0 (the default 9443) and the default storage paths
   * @throws IllegalArgumentException if the address is blank or the username null or blank
   * @throws NullPointerException if {@code clusterNode} or {@code password} is null
   */
  public static JoinClusterRequest of(String clusterNode, String username, Secret password) {
    return new JoinClusterRequest(List.of(clusterNode), username, password, 0, null, null);
  }

  /**
   * A copy for a cluster whose REST API listens on {@code port} instead of 9443.
   *
   * @param port the cluster's REST port, 0-65535; 0 for the default 9443
   * @return a new request with that port and everything else of this one
   * @throws IllegalArgumentException if the port is outside 0-65535
   */
  public JoinClusterRequest withCnmHttpsPort(int port) {
    return new JoinClusterRequest(
        clusterNodes, username, password, port, persistentPath, ephemeralPath);
  }

  /**
   * A copy with storage paths (null keeps the default).
   *
   * @param persistent the node's persistent storage path, or null for the default
   * @param ephemeral the node's ephemeral storage path, or null for the default
   * @return a new request with those paths and everything else of this one
   */
  public JoinClusterRequest withPaths(String persistent, String ephemeral) {
    return new JoinClusterRequest(
        clusterNodes, username, password, cnmHttpsPort, persistent, ephemeral);
  }

  /** The JSON body, password in clear: build it only to send it. */
  Map<String, Object> toBody() {
    var body = new LinkedHashMap<String, Object>();
    body.put("action", "join_cluster");
    body.put("cluster", Map.of("nodes", clusterNodes));
    body.put("credentials", Map.of("username", username, "password", password.reveal()));
    if (cnmHttpsPort != 0) {
      body.put("cnm_https_port", cnmHttpsPort);
    }
    var paths = new LinkedHashMap<String, Object>();
    if (persistentPath != null) {
      paths.put("persistent_path", persistentPath);
    }
    if (ephemeralPath != null) {
      paths.put("ephemeral_path", ephemeralPath);
    }
    if (!paths.isEmpty()) {
      body.put("node", Map.of("paths", paths));
    }
    return body;
  }
}
