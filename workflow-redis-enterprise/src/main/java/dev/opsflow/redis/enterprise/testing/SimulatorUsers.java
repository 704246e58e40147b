package dev.opsflow.redis.enterprise.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The simulated cluster's users ({@code /v1/users}, {@code /v1/users/{uid}}): the admin the
 * bootstrap names and those {@code POST /v1/users} adds; their passwords are kept to check basic
 * auth and never answered. Thread-safe.
 */
final class SimulatorUsers {
  private final List<SimulatedUser> users = new ArrayList<>();

  /** A user of the cluster; the password is kept to check basic auth. */
  record SimulatedUser(
      int uid,
      String email,
      String name,
      String role,
      List<Integer> roleUids,
      String password,
      Instant created) {
    Map<String, Object> toJson() {
      var json = new LinkedHashMap<String, Object>();
      json.put("uid", uid);
      json.put("email", email);
      json.put("name", name);
      json.put("role", role);
      json.put("role_uids", roleUids);
      json.put("status", "active");
      json.put("auth_method", "regular");
      json.put("email_alerts", true);
      json.put("bdbs_email_alerts", List.of());
      json.put("password_issue_date", created.toString());
      return json;
    }
  }

  /** Only the admin, as a bootstrap (or a recovered configuration) leaves it. */
  synchronized void resetTo(String username, String password, Instant now) {
    users.clear();
    users.add(new SimulatedUser(1, username, "admin", "admin", List.of(), password, now));
  }

  /** The users with their passwords: the simulator's state file keeps them, as a cluster does. */
  synchronized List<Map<String, Object>> snapshot() {
    var all = new ArrayList<Map<String, Object>>();
    for (SimulatedUser u : users) {
      var json = new LinkedHashMap<String, Object>();
      json.put("uid", u.uid());
      json.put("email", u.email());
      json.put("name", u.name());
      json.put("role", u.role());
      json.put("roleUids", u.roleUids());
      json.put("password", u.password());
      json.put("created", u.created().toString());
      all.add(json);
    }
    return all;
  }

  /** Replaces the users with those {@link #snapshot} saved. */
  synchronized void restore(JsonNode saved) {
    users.clear();
    for (JsonNode u : saved) {
      var roleUids = new ArrayList<Integer>();
      u.path("roleUids").forEach(n -> roleUids.add(n.asInt()));
      users.add(
          new SimulatedUser(
              u.path("uid").asInt(),
              u.path("email").asString(),
              u.path("name").isNull() ? null : u.path("name").asString(null),
              u.path("role").isNull() ? null : u.path("role").asString(null),
              List.copyOf(roleUids),
              u.path("password").asString(),
              Instant.parse(u.path("created").asString())));
    }
  }

  synchronized boolean authenticates(String user, String password) {
    return user != null
        && password != null
        && users.stream().anyMatch(u -> u.email().equals(user) && u.password().equals(password));
  }

  synchronized Reply list() {
    return Reply.ok(users.stream().map(SimulatedUser::toJson).toList());
  }

  synchronized Reply get(String uidText) {
    return SimulatorApi.integer(uidText)
        .flatMap(uid -> users.stream().filter(u -> u.uid() == uid).findFirst())
        .map(u -> Reply.ok(u.toJson()))
        .orElseGet(() -> Reply.error(404, "user_not_found", "user " + uidText + " does not exist"));
  }

  synchronized Reply create(JsonNode body, Instant now) {
    String email = SimulatorApi.text(body, "email");
    String password = SimulatorApi.text(body, "password");
    String role = SimulatorApi.text(body, "role");
    List<Integer> roleUids = new ArrayList<>();
    if (body != null && body.has("role_uids")) {
      body.get("role_uids").forEach(n -> roleUids.add(n.asInt()));
    }
    if (email == null || email.isBlank() || password == null || password.isEmpty()) {
      return Reply.error(400, "invalid_schema", "email and password are required");
    }
    if (role == null && roleUids.isEmpty()) {
      return Reply.error(400, "invalid_schema", "role or role_uids is required");
    }
    if (users.stream().anyMatch(u -> u.email().equals(email))) {
      return Reply.error(409, "user_exists", "a user with email " + email + " exists");
    }
    var user =
        new SimulatedUser(
            users.size() + 1,
            email,
            SimulatorApi.text(body, "name"),
            role,
            roleUids,
            password,
            now);
    users.add(user);
    return Reply.ok(user.toJson());
  }
}
