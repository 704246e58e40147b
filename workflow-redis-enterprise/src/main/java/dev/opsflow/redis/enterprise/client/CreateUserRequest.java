package dev.opsflow.redis.enterprise.client;

import dev.opsflow.workflow.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /v1/users}: a login, a password and either a management role or RBAC role
 * ids. Immutable; the password prints as {@code ****}.
 *
 * @param email the login
 * @param password the password
 * @param name the display name, or null
 * @param role a management role ({@code admin}, {@code db_member}, ...), or null
 * @param roleUids RBAC role ids, or empty
 */
public record CreateUserRequest(
    String email, Secret password, String name, String role, List<Integer> roleUids) {

  /**
   * Checks the required fields and copies the role ids.
   *
   * @param email the login
   * @param password the password
   * @param name the display name, or null
   * @param role a management role ({@code admin}, {@code db_member}, ...), or null
   * @param roleUids RBAC role ids, or empty
   * @throws IllegalArgumentException for a blank email, no password, or neither role nor role ids
   */
  public CreateUserRequest {
    if (email == null || email.isBlank()) {
      throw new IllegalArgumentException("email must not be blank");
    }
    Objects.requireNonNull(password, "password must not be null");
    roleUids = roleUids == null ? List.of() : List.copyOf(roleUids);
    if ((role == null || role.isBlank()) && roleUids.isEmpty()) {
      throw new IllegalArgumentException("a user needs a role or role_uids");
    }
  }

  /**
   * A user with a management role.
   *
   * @param email the login
   * @param password the password
   * @param role a management role ({@code admin}, {@code db_member}, ...), or null
   * @return the request
   */
  public static CreateUserRequest withRole(String email, Secret password, String role) {
    return new CreateUserRequest(email, password, null, role, List.of());
  }

  /** The JSON body, password in clear: build it only to send it. */
  Map<String, Object> toBody() {
    var body = new LinkedHashMap<String, Object>();
    body.put("email", email);
    body.put("password", password.reveal());
    if (name != null) {
      body.put("name", name);
    }
    if (role != null) {
      body.put("role", role);
    }
    if (!roleUids.isEmpty()) {
      body.put("role_uids", roleUids);
    }
    return body;
  }
}
