package dev.opsflow.workflow;

import dev.opsflow.workflow.internal.EngineStepContext;
import java.util.List;
import java.util.Objects;

/**
 * A step that fans out over a list of items with a maximum parallelism and fans in their results,
 * in item order, into a context key.
 *
 * <pre>{@code
 * Parallel.over("ping-all", HOSTS, String.class)
 *     .maxParallel(20)
 *     .each((ctx, host) -> ping(host))
 *     .collectInto(PING_TIMES)
 * }</pre>
 *
 * <p>Each item runs with the group's retry policy and timeout. When one item fails, no new item
 * starts, the running ones finish, and the group fails naming the items that failed. Immutable.
 *
 * @param <I> the items' type
 * @param <O> the results' type
 */
public final class Parallel<I, O> implements Step {
  private final String name;
  private final Key<? extends List<?>> items;
  private final Class<I> itemType;
  private final int maxParallel;
  private final ItemAction<I, O> action;
  private final Key<? extends List<?>> results;

  /**
   * The work for one item; returns the item's result (may be null).
   *
   * @param <I> the type of the items
   * @param <O> the type of each item's result
   */
  @FunctionalInterface
  public interface ItemAction<I, O> {
    /**
     * Works on {@code item}.
     *
     * @param ctx the item's context ({@link StepContext#item()} is the item)
     * @param item the item to work on
     * @return the item's result, collected in item order
     * @throws Exception a failure of this item; the group fails after the others end
     */
    O apply(StepContext ctx, I item) throws Exception;
  }

  private Parallel(
      String name,
      Key<? extends List<?>> items,
      Class<I> itemType,
      int maxParallel,
      ItemAction<I, O> action,
      Key<? extends List<?>> results) {
    this.name = name;
    this.items = items;
    this.itemType = itemType;
    this.maxParallel = maxParallel;
    this.action = action;
    this.results = results;
  }

  /**
   * A group named {@code name} over the list under {@code items}, of {@code itemType}.
   *
   * @param <I> the type of the items
   * @param name the group's step name
   * @param items the context key of the list of items
   * @param itemType the type of each item
   * @return a group with no work yet: give it with {@link #each} or {@link #eachWorkflow}
   */
  public static <I> Parallel<I, Object> over(
      String name, Key<? extends List<?>> items, Class<I> itemType) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("parallel group name must not be blank");
    }
    Objects.requireNonNull(items, "items must not be null");
    Objects.requireNonNull(itemType, "itemType must not be null");
    return new Parallel<>(name, items, itemType, 16, null, null);
  }

  /**
   * At most {@code n} items at once (default 16).
   *
   * @param n the most items that run at once, at least 1
   * @return this group
   * @throws IllegalArgumentException if n &lt; 1
   */
  public Parallel<I, O> maxParallel(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxParallel must be >= 1, was " + n);
    }
    return new Parallel<>(name, items, itemType, n, action, results);
  }

  /**
   * The work for each item.
   *
   * @param <R> the type of each item's result
   * @param work what to do with each item
   * @return this group, typed by the work's result
   */
  public <R> Parallel<I, R> each(ItemAction<I, R> work) {
    return new Parallel<>(
        name,
        items,
        itemType,
        maxParallel,
        Objects.requireNonNull(work, "work must not be null"),
        results);
  }

  /**
   * Runs {@code child} for each item (the item is {@link StepContext#item()} in its steps).
   *
   * @param child the workflow each item runs, as a sub-workflow
   * @return this group
   */
  public Parallel<I, Object> eachWorkflow(Workflow child) {
    Objects.requireNonNull(child, "child must not be null");
    return new Parallel<>(
        name,
        items,
        itemType,
        maxParallel,
        (ctx, item) -> ((EngineStepContext) ctx).runNested(child, name + "[" + item + "]"),
        results);
  }

  /**
   * Where the results go: a list in item order.
   *
   * @param resultKey the context key the list of results is put under
   * @return this group
   */
  public Parallel<I, O> collectInto(Key<? extends List<?>> resultKey) {
    return new Parallel<>(name, items, itemType, maxParallel, action, resultKey);
  }

  @Override
  public String name() {
    return name;
  }

  /** {@return the maximum parallelism} */
  public int maxParallel() {
    return maxParallel;
  }

  @Override
  public void run(StepContext ctx) throws Exception {
    if (action == null) {
      throw new IllegalStateException("parallel group '" + name + "' needs each(...)");
    }
    List<?> list = ctx.require(items);
    for (int i = 0; i < list.size(); i++) {
      if (!itemType.isInstance(list.get(i))) {
        throw new ValidationException(
            "item "
                + i
                + " of '"
                + items.name()
                + "' is a "
                + (list.get(i) == null ? "null" : list.get(i).getClass().getSimpleName())
                + ", expected "
                + itemType.getSimpleName());
      }
    }
    List<Object> out =
        ((EngineStepContext) ctx)
            .fanOut(list, maxParallel, (c, item) -> action.apply(c, itemType.cast(item)));
    if (results != null) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      Key<Object> k = (Key) results;
      ctx.put(k, out);
    }
  }

  @Override
  public String describe(StepContext ctx) {
    int n = ctx.get(items).map(List::size).orElse(0);
    return "run '" + name + "' over " + n + " items, at most " + maxParallel + " at once";
  }
}
