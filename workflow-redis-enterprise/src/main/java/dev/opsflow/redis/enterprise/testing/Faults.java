package dev.opsflow.redis.enterprise.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Fault injection for a {@link RedisEnterpriseSimulator}: the next N (matching) requests fail with
 * a status or lose their connection, every answer is delayed, the next database action ends failed
 * or never ends, the next bootstrap ends in error. Thread-safe.
 *
 * <pre>{@code
 * sim.faults().failNext(2, 503);                              // any two requests
 * sim.faults().failNext(1, 503, "POST", "/v1/bdbs");           // the next database create
 * sim.faults().dropNext(1, "GET", "/v1/bootstrap");
 * sim.faults().nextActionFails("insufficient_resources", "not enough memory");
 * }</pre>
 */
public final class Faults {
  /** What happens to a matching request. */
  enum Kind {
    STATUS,
    DROP
  }

  /** A pending fault: what it matches, what it does, how many times more. */
  static final class Rule {
    final Kind kind;
    final int status;
    final String errorCode;
    final String description;
    final String method;
    final String pathPrefix;
    int remaining;

    Rule(
        Kind kind,
        int status,
        String errorCode,
        String description,
        String method,
        String pathPrefix,
        int remaining) {
      this.kind = kind;
      this.status = status;
      this.errorCode = errorCode;
      this.description = description;
      this.method = method;
      this.pathPrefix = pathPrefix;
      this.remaining = remaining;
    }

    boolean matches(String m, String path) {
      return (method == null || method.equals(m))
          && (pathPrefix == null || path.startsWith(pathPrefix));
    }
  }

  /** How the next action ends. */
  record ActionFault(boolean neverEnds, String errorCode, String message) {}

  private final List<Rule> rules = new ArrayList<>();
  private Duration latency = Duration.ZERO;
  private ActionFault nextAction;
  private String[] nextBootstrapError;
  private ActionFault nextExport;
  private ActionFault nextImport;
  private boolean nextSyncStuck;

  Faults() {}

  /**
   * The next {@code count} requests answer {@code status} with a generic error body.
   *
   * @param count how many requests it applies to
   * @param status the HTTP status to answer
   * @return these faults, to chain more
   */
  public Faults failNext(int count, int status) {
    return failNext(count, status, null, null);
  }

  /**
   * The next {@code count} requests of {@code method} under {@code pathPrefix} answer {@code
   * status}.
   *
   * @param count how many requests it applies to
   * @param status the HTTP status to answer
   * @param method the HTTP method to match, or null for any
   * @param pathPrefix the start of the paths to match, or null for any
   * @return these faults, to chain more
   */
  public Faults failNext(int count, int status, String method, String pathPrefix) {
    return failNext(
        count,
        status,
        defaultCode(status),
        "injected failure (status " + status + ")",
        method,
        pathPrefix);
  }

  /**
   * As {@link #failNext(int, int, String, String)} with the error body's code and description.
   *
   * @param count how many requests it applies to
   * @param status the HTTP status to answer
   * @param errorCode the error code to report
   * @param description the error body's description
   * @param method the HTTP method to match, or null for any
   * @param pathPrefix the start of the paths to match, or null for any
   * @return these faults, to chain more
   */
  public synchronized Faults failNext(
      int count,
      int status,
      String errorCode,
      String description,
      String method,
      String pathPrefix) {
    if (count < 1 || status < 400 || status > 599) {
      throw new IllegalArgumentException("count must be >= 1 and status 400-599");
    }
    rules.add(new Rule(Kind.STATUS, status, errorCode, description, method, pathPrefix, count));
    return this;
  }

  /**
   * The next {@code count} requests lose their connection without an answer.
   *
   * @param count how many requests it applies to
   * @return these faults, to chain more
   */
  public Faults dropNext(int count) {
    return dropNext(count, null, null);
  }

  /**
   * The next {@code count} matching requests lose their connection without an answer.
   *
   * @param count how many requests it applies to
   * @param method the HTTP method to match, or null for any
   * @param pathPrefix the start of the paths to match, or null for any
   * @return these faults, to chain more
   */
  public synchronized Faults dropNext(int count, String method, String pathPrefix) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1");
    }
    rules.add(new Rule(Kind.DROP, 0, null, null, method, pathPrefix, count));
    return this;
  }

  /**
   * Every answer is delayed by {@code delay} of real time (ZERO to stop).
   *
   * @param delay the real time each answer waits, or ZERO for none
   * @return these faults, to chain more
   */
  public synchronized Faults latency(Duration delay) {
    this.latency = Objects.requireNonNull(delay, "delay must not be null");
    return this;
  }

  /**
   * The next action (a database creation) ends {@code failed} with this code and message.
   *
   * @param errorCode the error code to report
   * @param message the message to report
   * @return these faults, to chain more
   */
  public synchronized Faults nextActionFails(String errorCode, String message) {
    this.nextAction = new ActionFault(false, errorCode, message);
    return this;
  }

  /**
   * The next action stays {@code running} forever.
   *
   * @return these faults
   */
  public synchronized Faults nextActionNeverEnds() {
    this.nextAction = new ActionFault(true, null, null);
    return this;
  }

  /**
   * The next bootstrap ends in state {@code error} with this code and message.
   *
   * @param errorCode the error code to report
   * @param message the message to report
   * @return these faults, to chain more
   */
  public synchronized Faults nextBootstrapFails(String errorCode, String message) {
    this.nextBootstrapError = new String[] {errorCode, message};
    return this;
  }

  /**
   * The next export ends {@code failed} with this {@code export_failure_reason}.
   *
   * @param reason the failure reason to report
   * @return these faults, to chain more
   */
  public synchronized Faults nextExportFails(String reason) {
    this.nextExport = new ActionFault(false, reason, reason);
    return this;
  }

  /**
   * The next import ends {@code failed} with this {@code import_failure_reason}.
   *
   * @param reason the failure reason to report
   * @return these faults, to chain more
   */
  public synchronized Faults nextImportFails(String reason) {
    this.nextImport = new ActionFault(false, reason, reason);
    return this;
  }

  /**
   * Replica Of syncs started from now on stay {@code syncing} and copy nothing, as if the target
   * could not reach the source, until {@link #reset()} (then they connect and sync).
   *
   * @return these faults, to chain more
   */
  public synchronized Faults syncsNeverComplete() {
    this.nextSyncStuck = true;
    return this;
  }

  /**
   * Removes every pending fault and the latency.
   *
   * @return these faults, to chain more
   */
  public synchronized Faults reset() {
    rules.clear();
    latency = Duration.ZERO;
    nextAction = null;
    nextBootstrapError = null;
    nextExport = null;
    nextImport = null;
    nextSyncStuck = false;
    return this;
  }

  synchronized ActionFault takeExportFault() {
    ActionFault fault = nextExport;
    nextExport = null;
    return fault;
  }

  synchronized ActionFault takeImportFault() {
    ActionFault fault = nextImport;
    nextImport = null;
    return fault;
  }

  synchronized boolean syncStuck() {
    return nextSyncStuck;
  }

  synchronized Optional<Rule> take(String method, String path) {
    for (var it = rules.iterator(); it.hasNext(); ) {
      Rule rule = it.next();
      if (rule.matches(method, path)) {
        if (--rule.remaining <= 0) {
          it.remove();
        }
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  synchronized Duration latency() {
    return latency;
  }

  synchronized ActionFault takeActionFault() {
    ActionFault fault = nextAction;
    nextAction = null;
    return fault;
  }

  synchronized String[] takeBootstrapError() {
    String[] error = nextBootstrapError;
    nextBootstrapError = null;
    return error;
  }

  private static String defaultCode(int status) {
    return switch (status) {
      case 503 -> "service_unavailable";
      case 429 -> "too_many_requests";
      case 409 -> "busy";
      case 401 -> "unauthorized";
      default -> status >= 500 ? "internal_error" : "bad_request";
    };
  }
}
