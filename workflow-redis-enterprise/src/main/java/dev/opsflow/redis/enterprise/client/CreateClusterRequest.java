package dev.opsflow.redis.enterprise.client;

import dev.opsflow.workflow.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /v1/bootstrap/create_cluster}. Immutable; the password prints as {@code
 * ****} and is revealed only when the request is sent.
 *
 * @param clusterName the cluster's name (its FQDN, such as {@code cluster.example.com})
 * @param username the admin user's email or name
 * @param password the admin user's password
 * @param license the license key, or null for the trial license
 * @param persistentPath the node's persistent storage path, or null for the default
 * @param ephemeralPath the node's ephemeral storage path, or null for the default
 * @param dnsSuffixes DNS suffixes for database endpoints, or empty
 */
public record CreateClusterRequest(
    String clusterName,
    String username,
    Secret password,
    Secret license,
    String persistentPath,
    String ephemeralPath,
    List<String> dnsSuffixes) {

  /**
   * Checks the required fields and copies the lists.
   *
   * @param clusterName the cluster's name (its FQDN, such as {@code cluster.example.com})
   * @param username the admin user's email or name
   * @param password the admin user's password
   * @param license the license key, or null for the trial license
   * @param persistentPath the node's persistent storage path, or null for the default
   * @param ephemeralPath the node's ephemeral storage path, or null for the default
   * @param dnsSuffixes DNS suffixes for database endpoints, or empty
   * @throws IllegalArgumentException if the name, username or password is missing
   */
  public CreateClusterRequest {
    if (clusterName == null || clusterName.isBlank()) {
      throw new IllegalArgumentException("clusterName must not be blank");
    }
    if (username == null || username.isBlank()) {
      throw new IllegalArgumentException("username must not be blank");
    }
    Objects.requireNonNull(password, "password must not be null");
    dnsSuffixes = dnsSuffixes == null ? List.of() : List.copyOf(dnsSuffixes);
  }

  /**
   * The common case: a name and the admin's credentials, trial license, default paths.
   *
   * @param clusterName the cluster's name (its FQDN, such as {@code cluster.example.com})
   * @param username the admin user's email or name
   * @param password the admin user's password
   * @return the request
   */
  public static CreateClusterRequest of(String clusterName, String username, Secret password) {
    return new CreateClusterRequest(clusterName, username, password, null, null, null, List.of());
  }

  /**
   * A copy with a license key.
   *
   * @param key the license key
   * @return a copy with that license
   */
  public CreateClusterRequest withLicense(Secret key) {
    return new CreateClusterRequest(
        clusterName, username, password, key, persistentPath, ephemeralPath, dnsSuffixes);
  }

  /**
   * A copy with storage paths (null keeps the default).
   *
   * @param persistent the persistent storage path, or null for the default
   * @param ephemeral the ephemeral storage path, or null for the default
   * @return a copy with those paths
   */
  public CreateClusterRequest withPaths(String persistent, String ephemeral) {
    return new CreateClusterRequest(
        clusterName, username, password, license, persistent, ephemeral, dnsSuffixes);
  }

  /** The JSON body, password and license in clear: build it only to send it. */
  Map<String, Object> toBody() {
    var body = new LinkedHashMap<String, Object>();
    body.put("action", "create_cluster");
    body.put("cluster", Map.of("name", clusterName, "nodes", List.of()));
    body.put("credentials", Map.of("username", username, "password", password.reveal()));
    if (license != null && !license.isEmpty()) {
      body.put("license", license.reveal());
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
    if (!dnsSuffixes.isEmpty()) {
      body.put("dns_suffixes", dnsSuffixes.stream().map(s -> Map.of("name", s)).toList());
    }
    return body;
  }
}
