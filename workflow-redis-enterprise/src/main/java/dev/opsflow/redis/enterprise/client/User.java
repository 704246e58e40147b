package dev.opsflow.redis.enterprise.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A user from {@code GET /v1/users}. Immutable.
 *
 * @param uid the user's id
 * @param email the login (an email address, or a name on recent versions)
 * @param name the display name
 * @param role the management role ({@code admin}, {@code db_viewer}, ...), or null with RBAC
 * @param roleUids the RBAC role ids
 * @param status {@code active} or {@code locked}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record User(
    @JsonProperty("uid") int uid,
    @JsonProperty("email") String email,
    @JsonProperty("name") String name,
    @JsonProperty("role") String role,
    @JsonProperty("role_uids") List<Integer> roleUids,
    @JsonProperty("status") String status) {

  /**
   * Copies the role uids (null becomes empty), so the record is immutable.
   *
   * @param uid the user's id
   * @param email the login (an email address, or a name on recent versions)
   * @param name the display name
   * @param role the management role ({@code admin}, {@code db_viewer}, ...), or null with RBAC
   * @param roleUids the RBAC role ids
   * @param status {@code active} or {@code locked}
   */
  public User {
    roleUids = roleUids == null ? List.of() : List.copyOf(roleUids);
  }
}
