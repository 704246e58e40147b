package dev.opsflow.redis.cloud.client;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.Auth;
import dev.opsflow.workflow.http.HttpRequestSpec;
import dev.opsflow.workflow.http.HttpResponseData;
import dev.opsflow.workflow.http.HttpSettings;
import dev.opsflow.workflow.http.JsonHttpClient;
import dev.opsflow.workflow.http.RequestBody;
import dev.opsflow.workflow.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A typed client of the Redis Cloud REST API ({@code https://api.redislabs.com/v1}): Pro and
 * Essentials subscriptions and databases, tasks, regions, cloud accounts, payment methods, VPC
 * peerings and the regions of Active-Active subscriptions.
 *
 * <p>Every mutating call answers a {@link Task}; {@link #awaitTask} follows it to {@code
 * processing-completed} or throws {@link TaskFailedException} at once on {@code processing-error},
 * and {@link #awaitSubscriptionActive} / {@link #awaitDatabaseActive} then follow the resource
 * until it is {@code active}, since a completed task may leave it {@code pending}.
 *
 * <p>Requests carry {@code x-api-key} and {@code x-api-secret-key} (both {@link Secret}s, never
 * logged). The client keeps under its own rate (a Failsafe rate limiter, 400 requests a minute by
 * default) and retries 429 after {@code x-rate-limit-retry-after-seconds} or {@code Retry-After};
 * reads are also retried on 5xx and connection failures, writes only on 429 (a 5xx write may have
 * been processed). Retry decisions come from a Failsafe {@link Execution}; every wait goes through
 * the injected {@link Sleeper}, so tests skip time with a manual clock. Other failures are {@link
 * ApiException}s naming method, path, status and the API's error code. Thread-safe.
 */
public final class RedisCloudClient {
  /** The production API. */
  public static final String DEFAULT_BASE_URI = "https://api.redislabs.com/v1";

  /** The API's documented rate limit per key, used as the client's default pace. */
  public static final int DEFAULT_REQUESTS_PER_MINUTE = 400;

  private static final Logger log = LoggerFactory.getLogger(RedisCloudClient.class);

  private final JsonHttpClient http;
  private final RequestPacer pacer;
  private final Sleeper sleeper;
  private final RetryPolicy<Object> readRetry;
  private final RetryPolicy<Object> writeRetry;
  private final Duration taskTimeout;
  private final Duration resourceTimeout;

  private RedisCloudClient(Builder b) {
    HttpSettings settings =
        HttpSettings.of(b.baseUri)
            .withAuth(Auth.headers(orderedHeaders(b.apiKey, b.secretKey)))
            .withErrorDecoder(CloudErrorDecoder.INSTANCE);
    this.http = JsonHttpClient.create(b.settings.apply(settings));
    this.pacer = new RequestPacer(b.requestsPerMinute, b.clock, b.sleeper);
    this.sleeper = b.sleeper;
    this.readRetry = retryPolicy(b.maxAttempts, true);
    this.writeRetry = retryPolicy(b.maxAttempts, false);
    this.taskTimeout = b.taskTimeout;
    this.resourceTimeout = b.resourceTimeout;
  }

  private static Map<String, Secret> orderedHeaders(Secret apiKey, Secret secretKey) {
    var headers = new LinkedHashMap<String, Secret>();
    headers.put("x-api-key", apiKey);
    headers.put("x-api-secret-key", secretKey);
    return headers;
  }

  /**
   * A builder for a client with the account key and the user (secret) key.
   *
   * @param apiKey the account key ({@code x-api-key})
   * @param secretKey the user key ({@code x-api-secret-key})
   * @return a builder with the defaults
   * @throws IllegalArgumentException if a key is null or empty
   */
  public static Builder builder(Secret apiKey, Secret secretKey) {
    return new Builder(apiKey, secretKey);
  }

  /** {@return the base URI requests go to} */
  public String baseUri() {
    return http.settings().baseUri().toString();
  }

  /** {@return how long {@link #awaitTask(StepContext, String)} waits by default} */
  public Duration taskTimeout() {
    return taskTimeout;
  }

  // ---- tasks ---------------------------------------------------------------------------------

  /**
   * {@code GET /tasks/{taskId}}.
   *
   * @param taskId the task's id
   * @return the task as it is now
   */
  public Task task(String taskId) {
    return get("/tasks/" + requireId(taskId, "taskId"), Task.class);
  }

  /**
   * {@return {@code GET /tasks}: the account's recent tasks (read from {@code tasks} or a bare
   * array)}
   */
  public List<Task> tasks() {
    return list(get("/tasks", JsonNode.class), "tasks", Task.class);
  }

  /**
   * Waits for the account's unfinished tasks of {@code commandType} ({@code
   * subscriptionCreateRequest}, ...), whatever their outcome: a resource appears only when its
   * creation completes, so a lookup by name must wait for creations in flight.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param commandType the tasks' command type
   * @return how many tasks were awaited
   */
  public int awaitTasksInFlight(StepContext ctx, String commandType) {
    int awaited = 0;
    for (Task inFlight : tasks()) {
      if (commandType.equals(inFlight.commandType()) && !inFlight.isFinished()) {
        ctx.subTask(
            "Waiting for task " + inFlight.taskId() + " (" + commandType + ") in flight...");
        awaited++;
        try {
          awaitTask(ctx, inFlight.taskId());
        } catch (TaskFailedException failed) {
          log.info("task {} in flight failed: {}", inFlight.taskId(), failed.getMessage());
        }
      }
    }
    return awaited;
  }

  /**
   * Follows a task until it finishes, for the client's task timeout; see below.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param taskId the task's id
   * @return the completed task
   */
  public Task awaitTask(StepContext ctx, String taskId) {
    return awaitTask(ctx, taskId, taskTimeout);
  }

  /**
   * Polls {@code GET /tasks/{taskId}} until {@code processing-completed} and returns the task (its
   * {@link Task#resourceId()} names what it made).
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param taskId the task's id
   * @param timeout how long to wait at most
   * @return the completed task
   * @throws TaskFailedException at once when the task ends in {@code processing-error}, with the
   *     API's code, status and description
   * @throws dev.opsflow.workflow.StepTimeoutException past the timeout, naming the task and its
   *     last status
   */
  public Task awaitTask(StepContext ctx, String taskId, Duration timeout) {
    return finished(
        taskWait(ctx, taskId, timeout).until(() -> task(taskId), Task::isFinished, Task::status));
  }

  /**
   * One poll of {@link #awaitTask(StepContext, String)}, for a {@link
   * dev.opsflow.workflow.PollingStep}: reads {@code GET /tasks/{taskId}} once, with the same
   * interval, backoff and task timeout (counted from {@code polling.since()}). At {@code
   * processing-completed} it gives the task to {@code completed} and answers {@link Poll#done()}.
   *
   * @param ctx the step's context
   * @param polling which poll of the attempt this is, and since when it polls (for the timeout)
   * @param taskId the task's id
   * @param completed given the task once it completed
   * @return {@link Poll#done()} once the task completed, else {@link Poll#again} with the next
   *     interval
   * @throws TaskFailedException at once when the task ended in {@code processing-error}
   * @throws dev.opsflow.workflow.StepTimeoutException past the timeout, naming the task and its
   *     last status
   */
  public Poll pollTask(StepContext ctx, Polling polling, String taskId, Consumer<Task> completed) {
    var seen = new Task[1];
    Poll poll =
        taskWait(ctx, taskId, taskTimeout)
            .poll(polling, () -> seen[0] = task(taskId), Task::isFinished, Task::status);
    if (poll.isDone()) {
      completed.accept(finished(seen[0]));
    }
    return poll;
  }

  private Await<Task> taskWait(StepContext ctx, String taskId, Duration timeout) {
    return Await.<Task>on(ctx, "Redis Cloud task " + taskId)
        .every(Duration.ofSeconds(2))
        .backoff(1.5)
        .atMost(Duration.ofSeconds(15))
        .timeout(timeout)
        .onPoll(t -> ctx.subTask("task " + taskId + ": " + t.status()));
  }

  /** The finished task, or its failure. */
  private static Task finished(Task done) {
    if (done.isFailed()) {
      throw new TaskFailedException(
          done, done.error().orElse(new TaskError("UNKNOWN", null, done.description())));
    }
    return done;
  }

  /**
   * Follows a task to completion and returns its {@code response.resourceId}.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param task the task to follow
   * @return the id of the resource it created or changed
   */
  public long awaitResourceId(StepContext ctx, Task task) {
    return awaitResourceId(ctx, task.taskId());
  }

  /**
   * Follows the task {@code taskId} to completion and returns its {@code response.resourceId}.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param taskId the task's id
   * @return the id of the resource it created or changed
   * @throws WorkflowException of kind PROTOCOL if the completed task names no resource
   */
  public long awaitResourceId(StepContext ctx, String taskId) {
    return resourceId(awaitTask(ctx, taskId));
  }

  /**
   * The {@code response.resourceId} of a completed task.
   *
   * @param done a completed task
   * @return the id of the resource it created or changed
   * @throws WorkflowException of kind PROTOCOL if the task names no resource
   */
  public static long resourceId(Task done) {
    return done.resourceId()
        .orElseThrow(
            () ->
                new WorkflowException(
                    ErrorKind.PROTOCOL,
                    "task " + done.taskId() + " completed without response.resourceId"));
  }

  // ---- Pro subscriptions ---------------------------------------------------------------------

  /** {@return {@code GET /subscriptions}} */
  public List<Subscription> subscriptions() {
    return list(get("/subscriptions", JsonNode.class), "subscriptions", Subscription.class);
  }

  /**
   * {@code GET /subscriptions/{id}}; empty on 404.
   *
   * @param id the subscription's id
   * @return the subscription, or empty when there is none
   */
  public Optional<Subscription> subscription(long id) {
    return find("/subscriptions/" + id, Subscription.class);
  }

  /**
   * {@code POST /subscriptions}.
   *
   * @param request the subscription's name, cloud, regions and databases
   * @return the creation task, to follow with {@link #awaitTask}
   */
  public Task createSubscription(SubscriptionCreateRequest request) {
    return send("POST", "/subscriptions", Objects.requireNonNull(request, "request"));
  }

  /**
   * {@code DELETE /subscriptions/{id}} (its databases must be deleted first).
   *
   * @param id the subscription's id
   * @return the deletion task, to follow with {@link #awaitTask}
   */
  public Task deleteSubscription(long id) {
    return send("DELETE", "/subscriptions/" + id, null);
  }

  /**
   * Polls the subscription until {@code active}; fails at once on {@code error}.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param id the subscription's id
   * @return the subscription once active
   */
  public Subscription awaitSubscriptionActive(StepContext ctx, long id) {
    return awaitActive(
        ctx,
        "subscription " + id,
        () -> subscription(id).orElseThrow(() -> notFound("subscription", id)),
        Subscription::isActive,
        Subscription::isError,
        Subscription::status);
  }

  /**
   * One poll of {@link #awaitSubscriptionActive}, for a {@link dev.opsflow.workflow.PollingStep}:
   * the same interval, backoff and resource timeout (counted from {@code polling.since()}); gives
   * the subscription to {@code active} once it is.
   *
   * @param ctx the step's context
   * @param polling which poll of the attempt this is, and since when it polls (for the timeout)
   * @param id the subscription's id
   * @param active given the subscription once it is active
   * @return {@link Poll#done()} once it is active, else {@link Poll#again} with the next interval
   */
  public Poll pollSubscriptionActive(
      StepContext ctx, Polling polling, long id, Consumer<Subscription> active) {
    return pollActive(
        ctx,
        polling,
        "subscription " + id,
        () -> subscription(id).orElseThrow(() -> notFound("subscription", id)),
        Subscription::isActive,
        Subscription::isError,
        Subscription::status,
        active);
  }

  /**
   * {@code GET /subscriptions/{id}/regions}: the regions of an Active-Active subscription.
   *
   * @param subscriptionId the Active-Active subscription's id
   * @return its regions
   */
  public List<ActiveActiveRegion> activeActiveRegions(long subscriptionId) {
    return list(
        get("/subscriptions/" + subscriptionId + "/regions", JsonNode.class),
        "regions",
        ActiveActiveRegion.class);
  }

  // ---- Pro databases -------------------------------------------------------------------------

  /**
   * {@code GET /subscriptions/{id}/databases}, read from its {@code subscription[].databases}.
   *
   * @param subscriptionId the subscription's id
   * @return its databases
   */
  public List<Database> databases(long subscriptionId) {
    return databasesIn(get("/subscriptions/" + subscriptionId + "/databases", JsonNode.class));
  }

  /**
   * {@code GET /subscriptions/{id}/databases/{databaseId}}; empty on 404.
   *
   * @param subscriptionId the subscription's id
   * @param databaseId the database's id
   * @return the database, or empty when there is none
   */
  public Optional<Database> database(long subscriptionId, long databaseId) {
    return find("/subscriptions/" + subscriptionId + "/databases/" + databaseId, Database.class);
  }

  /**
   * {@code POST /subscriptions/{id}/databases}.
   *
   * @param subscriptionId the subscription's id
   * @param request the database's name, memory and settings
   * @return the creation task, to follow with {@link #awaitTask}
   */
  public Task createDatabase(long subscriptionId, DatabaseCreateRequest request) {
    return send(
        "POST",
        "/subscriptions/" + subscriptionId + "/databases",
        Objects.requireNonNull(request, "request"));
  }

  /**
   * {@code PUT /subscriptions/{id}/databases/{databaseId}} with the fields to change.
   *
   * @param subscriptionId the subscription's id
   * @param databaseId the database's id
   * @param changes the fields to change, by their API names
   * @return the update task, to follow with {@link #awaitTask}
   */
  public Task updateDatabase(long subscriptionId, long databaseId, Map<String, ?> changes) {
    return send(
        "PUT",
        "/subscriptions/" + subscriptionId + "/databases/" + databaseId,
        Objects.requireNonNull(changes, "changes"));
  }

  /**
   * {@code PUT /subscriptions/{id}/databases/{databaseId}/regions} with the fields to change: the
   * update of an Active-Active database ({@code CrdbUpdatePropertiesRequest}, such as {@code
   * enableTls} or {@code globalDataPersistence}).
   *
   * @param subscriptionId the subscription's id
   * @param databaseId the database's id
   * @param changes the fields to change, by their API names
   * @return the update task, to follow with {@link #awaitTask}
   */
  public Task updateActiveActiveDatabase(
      long subscriptionId, long databaseId, Map<String, ?> changes) {
    return send(
        "PUT",
        "/subscriptions/" + subscriptionId + "/databases/" + databaseId + "/regions",
        Objects.requireNonNull(changes, "changes"));
  }

  /**
   * {@code DELETE /subscriptions/{id}/databases/{databaseId}}.
   *
   * @param subscriptionId the subscription's id
   * @param databaseId the database's id
   * @return the deletion task, to follow with {@link #awaitTask}
   */
  public Task deleteDatabase(long subscriptionId, long databaseId) {
    return send("DELETE", "/subscriptions/" + subscriptionId + "/databases/" + databaseId, null);
  }

  /**
   * Polls a Pro database until {@code active}; fails at once on {@code error}.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param subscriptionId the subscription's id
   * @param databaseId the database's id
   * @return the database once active
   */
  public Database awaitDatabaseActive(StepContext ctx, long subscriptionId, long databaseId) {
    return awaitDatabase(
        ctx,
        databaseId,
        () ->
            database(subscriptionId, databaseId)
                .orElseThrow(() -> notFound("database", databaseId)));
  }

  /**
   * One poll of {@link #awaitDatabaseActive}, for a {@link dev.opsflow.workflow.PollingStep}; gives
   * the database to {@code active} once it is.
   *
   * @param ctx the step's context
   * @param polling which poll of the attempt this is, and since when it polls (for the timeout)
   * @param subscriptionId the subscription's id
   * @param databaseId the database's id
   * @param active given the database once it is active
   * @return {@link Poll#done()} once it is active, else {@link Poll#again} with the next interval
   */
  public Poll pollDatabaseActive(
      StepContext ctx,
      Polling polling,
      long subscriptionId,
      long databaseId,
      Consumer<Database> active) {
    return pollDatabase(
        ctx,
        polling,
        databaseId,
        () ->
            database(subscriptionId, databaseId)
                .orElseThrow(() -> notFound("database", databaseId)),
        active);
  }

  // ---- Essentials (fixed) --------------------------------------------------------------------

  /**
   * {@code GET /fixed/plans}, for one provider or (null) all.
   *
   * @param provider the cloud provider ({@code AWS}, {@code GCP}, {@code Azure}), or null for all
   * @return the plans
   */
  public List<FixedPlan> fixedPlans(String provider) {
    HttpRequestSpec spec = HttpRequestSpec.get("/fixed/plans").withQuery("provider", provider);
    return list(call(spec).as(JsonNode.class), "plans", FixedPlan.class);
  }

  /** {@return {@code GET /fixed/subscriptions}} */
  public List<FixedSubscription> fixedSubscriptions() {
    return list(
        get("/fixed/subscriptions", JsonNode.class), "subscriptions", FixedSubscription.class);
  }

  /**
   * {@code GET /fixed/subscriptions/{id}}; empty on 404.
   *
   * @param id the Essentials subscription's id
   * @return the subscription, or empty when there is none
   */
  public Optional<FixedSubscription> fixedSubscription(long id) {
    return find("/fixed/subscriptions/" + id, FixedSubscription.class);
  }

  /**
   * {@code POST /fixed/subscriptions}.
   *
   * @param request the subscription's name and plan
   * @return the creation task, to follow with {@link #awaitTask}
   */
  public Task createFixedSubscription(FixedSubscriptionCreateRequest request) {
    return send("POST", "/fixed/subscriptions", Objects.requireNonNull(request, "request"));
  }

  /**
   * {@code DELETE /fixed/subscriptions/{id}}.
   *
   * @param id the Essentials subscription's id
   * @return the deletion task, to follow with {@link #awaitTask}
   */
  public Task deleteFixedSubscription(long id) {
    return send("DELETE", "/fixed/subscriptions/" + id, null);
  }

  /**
   * Polls an Essentials subscription until {@code active}; fails at once on {@code error}.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param id the Essentials subscription's id
   * @return the subscription once active
   */
  public FixedSubscription awaitFixedSubscriptionActive(StepContext ctx, long id) {
    return awaitActive(
        ctx,
        "Essentials subscription " + id,
        () -> fixedSubscription(id).orElseThrow(() -> notFound("subscription", id)),
        FixedSubscription::isActive,
        FixedSubscription::isError,
        FixedSubscription::status);
  }

  /**
   * {@code GET /fixed/subscriptions/{id}/databases}.
   *
   * @param subscriptionId the Essentials subscription's id
   * @return its databases
   */
  public List<Database> fixedDatabases(long subscriptionId) {
    return databasesIn(
        get("/fixed/subscriptions/" + subscriptionId + "/databases", JsonNode.class));
  }

  /**
   * {@code GET /fixed/subscriptions/{id}/databases/{databaseId}}; empty on 404.
   *
   * @param subscriptionId the Essentials subscription's id
   * @param databaseId the database's id
   * @return the database, or empty when there is none
   */
  public Optional<Database> fixedDatabase(long subscriptionId, long databaseId) {
    return find(
        "/fixed/subscriptions/" + subscriptionId + "/databases/" + databaseId, Database.class);
  }

  /**
   * {@code POST /fixed/subscriptions/{id}/databases}.
   *
   * @param subscriptionId the Essentials subscription's id
   * @param request the database's name and settings
   * @return the creation task, to follow with {@link #awaitTask}
   */
  public Task createFixedDatabase(long subscriptionId, FixedDatabaseCreateRequest request) {
    return send(
        "POST",
        "/fixed/subscriptions/" + subscriptionId + "/databases",
        Objects.requireNonNull(request, "request"));
  }

  /**
   * {@code PUT /fixed/subscriptions/{id}/databases/{databaseId}} with the fields to change.
   *
   * @param subscriptionId the Essentials subscription's id
   * @param databaseId the database's id
   * @param changes the fields to change, by their API names
   * @return the update task, to follow with {@link #awaitTask}
   */
  public Task updateFixedDatabase(long subscriptionId, long databaseId, Map<String, ?> changes) {
    return send(
        "PUT",
        "/fixed/subscriptions/" + subscriptionId + "/databases/" + databaseId,
        Objects.requireNonNull(changes, "changes"));
  }

  /**
   * {@code DELETE /fixed/subscriptions/{id}/databases/{databaseId}}.
   *
   * @param subscriptionId the Essentials subscription's id
   * @param databaseId the database's id
   * @return the deletion task, to follow with {@link #awaitTask}
   */
  public Task deleteFixedDatabase(long subscriptionId, long databaseId) {
    return send(
        "DELETE", "/fixed/subscriptions/" + subscriptionId + "/databases/" + databaseId, null);
  }

  /**
   * Polls an Essentials database until {@code active}; fails at once on {@code error}.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param subscriptionId the Essentials subscription's id
   * @param databaseId the database's id
   * @return the database once active
   */
  public Database awaitFixedDatabaseActive(StepContext ctx, long subscriptionId, long databaseId) {
    return awaitDatabase(
        ctx,
        databaseId,
        () ->
            fixedDatabase(subscriptionId, databaseId)
                .orElseThrow(() -> notFound("database", databaseId)));
  }

  /**
   * One poll of {@link #awaitFixedDatabaseActive}, for a {@link dev.opsflow.workflow.PollingStep};
   * gives the database to {@code active} once it is.
   *
   * @param ctx the step's context
   * @param polling which poll of the attempt this is, and since when it polls (for the timeout)
   * @param subscriptionId the Essentials subscription's id
   * @param databaseId the database's id
   * @param active given the database once it is active
   * @return {@link Poll#done()} once it is active, else {@link Poll#again} with the next interval
   */
  public Poll pollFixedDatabaseActive(
      StepContext ctx,
      Polling polling,
      long subscriptionId,
      long databaseId,
      Consumer<Database> active) {
    return pollDatabase(
        ctx,
        polling,
        databaseId,
        () ->
            fixedDatabase(subscriptionId, databaseId)
                .orElseThrow(() -> notFound("database", databaseId)),
        active);
  }

  // ---- account -------------------------------------------------------------------------------

  /** {@return {@code GET /payment-methods}} */
  public List<PaymentMethod> paymentMethods() {
    return list(get("/payment-methods", JsonNode.class), "paymentMethods", PaymentMethod.class);
  }

  /** {@return {@code GET /cloud-accounts}} */
  public List<CloudAccount> cloudAccounts() {
    return list(get("/cloud-accounts", JsonNode.class), "cloudAccounts", CloudAccount.class);
  }

  /**
   * {@code GET /regions}, for one provider or (null) all.
   *
   * @param provider the cloud provider ({@code AWS}, {@code GCP})
   * @return its regions
   */
  public List<Region> regions(String provider) {
    HttpRequestSpec spec = HttpRequestSpec.get("/regions").withQuery("provider", provider);
    return list(call(spec).as(JsonNode.class), "regions", Region.class);
  }

  // ---- VPC peerings --------------------------------------------------------------------------

  /**
   * {@code POST /subscriptions/{id}/peerings}.
   *
   * @param subscriptionId the subscription's id
   * @param request the peer's cloud, network and CIDRs
   * @return the creation task, to follow with {@link #awaitTask}
   */
  public Task createVpcPeering(long subscriptionId, VpcPeeringCreateRequest request) {
    return send(
        "POST",
        "/subscriptions/" + subscriptionId + "/peerings",
        Objects.requireNonNull(request, "request"));
  }

  /**
   * The VPC peerings of a subscription. {@code GET /subscriptions/{id}/peerings} answers a task
   * whose {@code response.resource.peerings} holds them, so this waits for it.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param subscriptionId the subscription's id
   * @return its VPC peerings
   */
  public List<VpcPeering> vpcPeerings(StepContext ctx, long subscriptionId) {
    Task listing = get("/subscriptions/" + subscriptionId + "/peerings", Task.class);
    Task done = listing.isCompleted() ? listing : awaitTask(ctx, listing.taskId());
    JsonNode resource = done.response() == null ? null : done.response().resource();
    return resource == null ? List.of() : list(resource, "peerings", VpcPeering.class);
  }

  /**
   * {@code DELETE /subscriptions/{id}/peerings/{peeringId}}.
   *
   * @param subscriptionId the subscription's id
   * @param peeringId the peering's id
   * @return the deletion task, to follow with {@link #awaitTask}
   */
  public Task deleteVpcPeering(long subscriptionId, long peeringId) {
    return send("DELETE", "/subscriptions/" + subscriptionId + "/peerings/" + peeringId, null);
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private Database awaitDatabase(StepContext ctx, long databaseId, Await.Probe<Database> probe) {
    return awaitActive(
        ctx,
        "database " + databaseId,
        probe,
        Database::isActive,
        Database::isError,
        Database::status);
  }

  /**
   * Polls {@code what} (every 5 s, growing to 30 s, up to the resource timeout) until it is active,
   * reporting its status as the step's sub-task; fails at once when it is in error.
   */
  private <T> T awaitActive(
      StepContext ctx,
      String what,
      Await.Probe<T> probe,
      Predicate<T> active,
      Predicate<T> error,
      Function<T, String> status) {
    return activeWait(ctx, what, error, status).until(probe, active, status::apply);
  }

  private Poll pollDatabase(
      StepContext ctx,
      Polling polling,
      long databaseId,
      Await.Probe<Database> probe,
      Consumer<Database> active) {
    return pollActive(
        ctx,
        polling,
        "database " + databaseId,
        probe,
        Database::isActive,
        Database::isError,
        Database::status,
        active);
  }

  /** One poll of {@link #awaitActive}: gives the resource to {@code onActive} once it is. */
  private <T> Poll pollActive(
      StepContext ctx,
      Polling polling,
      String what,
      Await.Probe<T> probe,
      Predicate<T> active,
      Predicate<T> error,
      Function<T, String> status,
      Consumer<T> onActive) {
    var seen = new ArrayList<T>(1);
    Poll poll =
        activeWait(ctx, what, error, status)
            .poll(
                polling,
                () -> {
                  T read = probe.read();
                  seen.clear();
                  seen.add(read);
                  return read;
                },
                active,
                status::apply);
    if (poll.isDone()) {
      onActive.accept(seen.get(0));
    }
    return poll;
  }

  private <T> Await<T> activeWait(
      StepContext ctx, String what, Predicate<T> error, Function<T, String> status) {
    return Await.<T>on(ctx, what + " to be active")
        .every(Duration.ofSeconds(5))
        .backoff(1.5)
        .atMost(Duration.ofSeconds(30))
        .timeout(resourceTimeout)
        .onPoll(r -> ctx.subTask(what + " is " + status.apply(r)))
        .failWhen(error);
  }

  private <T> T get(String path, Class<T> type) {
    return call(HttpRequestSpec.get(path)).as(type);
  }

  private <T> Optional<T> find(String path, Class<T> type) {
    HttpResponseData response = call(HttpRequestSpec.get(path).allowingStatus(404));
    return response.status() == 404 ? Optional.empty() : Optional.of(response.as(type));
  }

  private Task send(String method, String path, Object body) {
    HttpRequestSpec spec =
        HttpRequestSpec.of(method, path)
            .withBody(body == null ? RequestBody.none() : RequestBody.json(body));
    Task task = call(spec).as(Task.class);
    if (task == null || task.taskId() == null) {
      throw new WorkflowException(
          ErrorKind.PROTOCOL, method + " " + path + " answered without a task id");
    }
    log.debug("{} {} -> {}", method, path, task.summary());
    return task;
  }

  /** One request: paced, and retried as the class comment says. */
  private HttpResponseData call(HttpRequestSpec spec) {
    Execution<Object> execution =
        Execution.of(spec.method().equals("GET") ? readRetry : writeRetry);
    while (true) {
      pacer.acquire();
      try {
        return http.send(spec);
      } catch (RuntimeException e) {
        execution.recordException(e);
        if (execution.isComplete()) {
          throw e;
        }
        Duration wait = execution.getDelay();
        if (e instanceof ApiException api && api.retryAfter().isPresent()) {
          wait = api.retryAfter().get();
        }
        log.info(
            "{} {} failed ({}); retrying in {} ms",
            spec.method(),
            spec.path(),
            e.getMessage(),
            wait.toMillis());
        sleep(wait);
      }
    }
  }

  private static RetryPolicy<Object> retryPolicy(int maxAttempts, boolean read) {
    return RetryPolicy.builder()
        .handleIf((result, error) -> error != null && retryable(error, read))
        .withMaxAttempts(maxAttempts)
        .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
        .build();
  }

  private static boolean retryable(Throwable error, boolean read) {
    if (error instanceof ApiException api) {
      return api.status() == 429 || (read && api.retryable());
    }
    return read && error instanceof WorkflowException we && we.retryable();
  }

  private void sleep(Duration wait) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting to retry a Redis Cloud request");
    }
  }

  private static List<Database> databasesIn(JsonNode root) {
    JsonNode subs = root.get("subscription");
    var all = new ArrayList<Database>();
    if (subs != null && subs.isArray()) {
      subs.forEach(s -> all.addAll(list(s, "databases", Database.class)));
    } else if (subs != null && subs.isObject()) {
      all.addAll(list(subs, "databases", Database.class));
    } else {
      all.addAll(list(root, "databases", Database.class));
    }
    return all;
  }

  private static <T> List<T> list(JsonNode root, String field, Class<T> type) {
    JsonNode array = root == null ? null : root.isArray() ? root : root.get(field);
    if (array == null || !array.isArray()) {
      return List.of();
    }
    var out = new ArrayList<T>();
    for (JsonNode item : array) {
      out.add(Json.mapper().treeToValue(item, type));
    }
    return out;
  }

  private static WorkflowException notFound(String what, long id) {
    return new WorkflowException(
        ErrorKind.REMOTE_FAILURE,
        what + " " + id + " no longer exists (404): it was deleted while being awaited");
  }

  private static String requireId(String id, String name) {
    if (id == null || !id.matches("[A-Za-z0-9_.\\-]+")) {
      throw new IllegalArgumentException(
          name + " must be letters, digits, _ . -, was '" + id + "'");
    }
    return id;
  }

  /** Builds a {@link RedisCloudClient}. Not thread-safe. */
  public static final class Builder {
    private final Secret apiKey;
    private final Secret secretKey;
    private String baseUri = DEFAULT_BASE_URI;
    private int requestsPerMinute = DEFAULT_REQUESTS_PER_MINUTE;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private int maxAttempts = 8;
    private Duration taskTimeout = Duration.ofMinutes(30);
    private Duration resourceTimeout = Duration.ofMinutes(30);
    private UnaryOperator<HttpSettings> settings = s -> s;

    private Builder(Secret apiKey, Secret secretKey) {
      if (apiKey == null || apiKey.isEmpty()) {
        throw new IllegalArgumentException("apiKey (x-api-key) must be given");
      }
      if (secretKey == null || secretKey.isEmpty()) {
        throw new IllegalArgumentException("secretKey (x-api-secret-key) must be given");
      }
      this.apiKey = apiKey;
      this.secretKey = secretKey;
    }

    /**
     * The API's base URI (default {@value RedisCloudClient#DEFAULT_BASE_URI}).
     *
     * @param uri the API's base URI
     * @return this builder
     */
    public Builder baseUri(String uri) {
      this.baseUri = Objects.requireNonNull(uri, "baseUri must not be null");
      return this;
    }

    /**
     * The client's own request rate (default 400 a minute).
     *
     * @param rate the most requests a minute
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder requestsPerMinute(int rate) {
      if (rate < 1) {
        throw new IllegalArgumentException("requestsPerMinute must be >= 1, was " + rate);
      }
      this.requestsPerMinute = rate;
      return this;
    }

    /**
     * The clock the rate is kept in (give the engine's: a manual clock in tests).
     *
     * @param c the clock for waits and the rate limit
     * @return this builder
     */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock must not be null");
      return this;
    }

    /**
     * What rate waits and retry delays sleep with (give the engine's sleeper).
     *
     * @param s the sleeper for waits and the rate limit
     * @return this builder
     */
    public Builder sleeper(Sleeper s) {
      this.sleeper = Objects.requireNonNull(s, "sleeper must not be null");
      return this;
    }

    /**
     * Attempts per request, the first included (default 8).
     *
     * @param attempts the attempts per request, at least 1
     * @return this builder
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * How long to wait for a task (default 30 minutes).
     *
     * @param d the longest wait for a task
     * @return this builder
     */
    public Builder taskTimeout(Duration d) {
      this.taskTimeout = positive(d, "taskTimeout");
      return this;
    }

    /**
     * How long to wait for a subscription or database to be active (default 30 minutes).
     *
     * @param d the longest wait for a resource to be active
     * @return this builder
     */
    public Builder resourceTimeout(Duration d) {
      this.resourceTimeout = positive(d, "resourceTimeout");
      return this;
    }

    /**
     * Adjusts the HTTP settings (timeouts, TLS trust) after the base URI and auth are set. Each
     * call adds to the earlier ones (a trusted certificate set first is kept when a later call adds
     * resilience).
     *
     * @param adjust changes the HTTP settings
     * @return this builder
     */
    public Builder httpSettings(UnaryOperator<HttpSettings> adjust) {
      Objects.requireNonNull(adjust, "adjust must not be null");
      UnaryOperator<HttpSettings> before = this.settings;
      this.settings = s -> adjust.apply(before.apply(s));
      return this;
    }

    /**
     * Builds the client.
     *
     * @return the client; thread-safe, to be shared
     * @throws IllegalArgumentException if the base URI is not an http(s) URI
     */
    public RedisCloudClient build() {
      return new RedisCloudClient(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be > 0, was " + d);
      }
      return d;
    }
  }
}
