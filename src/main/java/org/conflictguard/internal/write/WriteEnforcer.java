package org.conflictguard.internal.write;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.conflictguard.ClaimMode;
import org.conflictguard.Holder;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
import org.conflictguard.WriteRefusedException;
import org.conflictguard.internal.graph.EntityModel;
import org.conflictguard.internal.graph.Lineage;
import org.conflictguard.internal.metrics.Meters;
import org.conflictguard.spi.ClaimStore;

/**
 * One guard's write checks, which the entity listener runs before an update, a removal or the
 * persisting of a new row. A row is refused when another operation holds it: marks it, or marks
 * one of its ancestors with its subtree. A new row is refused when a row it depends on is held.
 * An update that moves a row (changes a {@code @DependsOn} reference) is a write to both the
 * subtree it leaves and the one it enters: refused when the row is held, when a new parent is
 * held, or when another operation holds anything below the row. The writer's own bound claims
 * answer without a store round trip, unless its claim is no longer surely held; rows this node's
 * {@link ClaimView} knows no mark on pass without one too; anything else is asked of the store.
 * Not API. Thread-safe.
 */
public final class WriteEnforcer {

    private final EntityModel model;
    private final Lineage lineage;
    private final ClaimStore store;
    private final ClaimView view;
    private final Meters meters;
    private final BoundHolders holders;

    /**
     * @param lineage where rows sit in the hierarchy: ancestors of written rows
     * @param store where other operations' claims are looked up
     * @param view what this node knows is claimed: rows it knows free pass without the store
     * @param holders this guard's claims bound to the writing thread
     */
    public WriteEnforcer(Lineage lineage, ClaimStore store, ClaimView view, BoundHolders holders) {
        this(lineage, store, view, holders, Meters.NONE);
    }

    /** @param meters told of every check and whether it refused the write */
    public WriteEnforcer(Lineage lineage, ClaimStore store, ClaimView view, BoundHolders holders, Meters meters) {
        this.model = lineage.model();
        this.lineage = lineage;
        this.store = store;
        this.view = view;
        this.holders = holders;
        this.meters = meters;
    }

    /** Notes the parents of an entity the application loaded, to tell later whether an update moves it. */
    void loaded(Object entity) {
        String entityName = model.entityName(entity.getClass());
        if (entityName != null && model.hasParents(entityName)) {
            List<Row> parents = model.parentsOf(entity);
            if (parents != null) {
                lineage.recordLoaded(model.rowOf(entity), parents);
            }
        }
    }

    /**
     * @throws WriteRefusedException if the write touches a row another operation holds, or the
     *     writer's own claim on it is no longer surely held
     */
    void check(Object entity, WriteRefusedException.Write write) {
        try {
            checkWrite(entity, write);
        } catch (WriteRefusedException refused) {
            meters.writeChecked(true);
            throw refused;
        }
        meters.writeChecked(false);
    }

    private void checkWrite(Object entity, WriteRefusedException.Write write) {
        String entityName = model.entityName(entity.getClass());
        if (write == WriteRefusedException.Write.PERSIST) {
            List<Row> parents = model.parentsOf(entity);
            for (Row parent : parents == null ? List.<Row>of() : parents) {
                checkRow(entity, write, parent, () -> lineage.cachedAncestorsOf(parent), true);
            }
            return;
        }
        Row row = model.rowOf(entity);
        if (!model.hasParents(entityName)) {
            checkRow(entity, write, row, Set::of, true);
            return;
        }
        List<Row> now = model.parentsOf(entity);
        List<Row> before = lineage.cachedParents(row);
        if (before == null || now == null) {
            List<Row> stored = lineage.parentsOf(row);
            before = before == null ? stored : before;
            now = now == null ? stored : now;
        }
        boolean moved = write == WriteRefusedException.Write.UPDATE && !sameRows(before, now);
        // Where the row is now: a move is first a write to the subtree it leaves.
        List<Row> through = moved ? before : now;
        checkRow(entity, write, row, () -> lineage.ancestorsThrough(through), true);
        if (moved) {
            for (Row parent : now) {
                try {
                    checkRow(entity, write, parent, () -> lineage.cachedAncestorsOf(parent), false);
                } catch (WriteRefusedException refused) {
                    if (refused.isOwnClaimLost()) {
                        throw refused;
                    }
                    throw WriteRefusedException.movedInto(entityName, row, new RowClaim(refused.row(),
                            refused.holder(), refused.within() == null ? Scope.ROW : Scope.SUBTREE, refused.within()));
                }
            }
            checkNothingHeldBelow(entity, write, row);
            lineage.record(row, now);
        }
    }

    /**
     * Refuses the write if another operation holds {@code row}; {@code ancestorsOfRow} gives the
     * row's ancestors, nearest first, and is asked only when the writer's own claim does not answer.
     * With {@code ownPasses}, a row the writer's bound claim covers passes at once.
     */
    private void checkRow(Object entity, WriteRefusedException.Write write, Row row,
            Supplier<Set<Row>> ancestorsOfRow, boolean ownPasses) {
        BoundHolders.Holding own = holders.holdingOf(row);
        if (own != null) {
            if (!own.isSafelyHeld()) {
                throw WriteRefusedException.ownClaimLost(write, entityName(entity), row, own.operationId(),
                        own.label());
            }
            if (ownPasses) {
                return;
            }
        }
        Set<Row> ancestors = ancestorsOfRow.get();
        List<Row> candidates = new ArrayList<>(ancestors.size() + 1);
        candidates.add(row);
        candidates.addAll(ancestors);
        if (view.check(candidates) == ClaimView.Answer.FREE) {
            return;
        }
        Map<Row, RowClaim> marks = store.marksOn(candidates);
        RowClaim held = marks.get(row);
        if (held == null) {
            for (Row ancestor : ancestors) {
                RowClaim above = marks.get(ancestor);
                if (above != null && above.scope() == Scope.SUBTREE) {
                    held = new RowClaim(row, above.holder(), Scope.SUBTREE, ancestor);
                    break;
                }
            }
        }
        if (held == null) {
            return;
        }
        if (held.holder().mode() == ClaimMode.SHARED) {
            // Rows under a shared claim are read unchanged by every holder: nobody writes them.
            throw WriteRefusedException.heldByOther(write, entityName(entity), held);
        }
        if (own != null && own.operationId().equals(held.holder().operationId())) {
            return;
        }
        BoundHolders.Holding elsewhere = holders.boundElsewhere(row, held.holder().operationId());
        if (elsewhere == null) {
            throw WriteRefusedException.heldByOther(write, entityName(entity), held);
        }
        if (!elsewhere.isSafelyHeld()) {
            throw WriteRefusedException.ownClaimLost(write, entityName(entity), row, elsewhere.operationId(),
                    elsewhere.label());
        }
    }

    /** Refuses moving a row while another operation holds something below it. */
    private void checkNothingHeldBelow(Object entity, WriteRefusedException.Write write, Row row) {
        for (Holder holder : store.holdersBelow(List.of(row)).getOrDefault(row, List.of())) {
            if (!holders.isBound(holder.operationId())) {
                throw WriteRefusedException.movedWithClaimsBelow(entityName(entity), row, holder);
            }
        }
    }

    /** Whether two lists of parents name the same rows, in any order (usually one row each). */
    private static boolean sameRows(List<Row> a, List<Row> b) {
        if (a.size() == 1 && b.size() == 1) {
            return a.get(0).equals(b.get(0));
        }
        return new HashSet<>(a).equals(new HashSet<>(b));
    }

    private String entityName(Object entity) {
        return model.entityName(entity.getClass());
    }
}
