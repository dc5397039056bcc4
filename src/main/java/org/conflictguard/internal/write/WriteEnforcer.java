package org.conflictguard.internal.write;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.conflictguard.Holder;
import org.conflictguard.Row;
import org.conflictguard.WriteRefusedException;
import org.conflictguard.internal.graph.EntityModel;
import org.conflictguard.spi.ClaimStore;

/**
 * One guard's write checks, which the entity listener runs before an update, a removal or the
 * persisting of a new row: a row held by another operation is refused, and so is a write by an
 * operation whose own claim is no longer surely held. The writer's own bound claims answer
 * without a store round trip; other rows are looked up through {@link BurstSnapshots}. Not API.
 * Thread-safe.
 */
public final class WriteEnforcer {

    private final EntityModel model;
    private final ClaimStore store;
    private final BoundHolders holders;

    /**
     * @param model names the written rows and the rows a new one depends on
     * @param store where other operations' claims are looked up
     * @param holders this guard's claims bound to the writing thread
     */
    public WriteEnforcer(EntityModel model, ClaimStore store, BoundHolders holders) {
        this.model = model;
        this.store = store;
        this.holders = holders;
    }

    /**
     * @throws WriteRefusedException if the row (for a new row: a row it depends on) is held by
     *     another operation, or the writer's own claim on it is no longer surely held
     */
    void check(Object entity, WriteRefusedException.Write write) {
        List<Row> rows = write == WriteRefusedException.Write.PERSIST ? model.parentsOf(entity)
                : List.of(model.rowOf(entity));
        List<Row> unbound = new ArrayList<>(rows.size());
        for (Row row : rows) {
            BoundHolders.Holding holding = holders.holdingOf(row);
            if (holding == null) {
                unbound.add(row);
            } else if (!holding.isSafelyHeld()) {
                throw WriteRefusedException.ownClaimLost(write, entityName(entity), row, holding.operationId(),
                        holding.label());
            }
        }
        if (unbound.isEmpty()) {
            return;
        }
        List<Row> suspects = BurstSnapshots.suspects(store, unbound);
        if (suspects.isEmpty()) {
            return;
        }
        for (Map.Entry<Row, Holder> held : store.inspect(suspects).entrySet()) {
            BoundHolders.Holding own = holders.boundElsewhere(held.getKey(), held.getValue().operationId());
            if (own == null) {
                throw WriteRefusedException.heldByOther(write, entityName(entity), held.getKey(), held.getValue());
            }
            if (!own.isSafelyHeld()) {
                throw WriteRefusedException.ownClaimLost(write, entityName(entity), held.getKey(), own.operationId(),
                        own.label());
            }
        }
    }

    private String entityName(Object entity) {
        return model.entityName(entity.getClass());
    }
}
