package org.conflictguard.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.conflictguard.ConfigurationException;
import org.conflictguard.InvalidClaimException;
import org.conflictguard.Row;
import org.conflictguard.graph.Comment;
import org.conflictguard.graph.Milestone;
import org.conflictguard.graph.Node;
import org.conflictguard.graph.Project;
import org.conflictguard.graph.Risk;
import org.conflictguard.graph.Task;
import org.conflictguard.spi.DependencyResolver;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The graph built from @DependsOn on a real Hibernate unit, and its batched expansion. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DependencyGraphTest {

    private TestDatabase db;
    private EntityManagerFactory tracker;

    @BeforeAll
    void createTree() {
        db = TestDatabase.create(TestDatabase.Kind.H2);
        tracker = db.unit("tracker");
        EntityManager em = tracker.createEntityManager();
        em.getTransaction().begin();
        Project p1 = new Project(1, "apollo");
        Project p2 = new Project(2, "gemini");
        em.persist(p1);
        em.persist(p2);
        Milestone m10 = new Milestone(10, "design", p1);
        Milestone m11 = new Milestone(11, "build", p1);
        Milestone m20 = new Milestone(20, "other", p2);
        List.of(m10, m11, m20).forEach(em::persist);
        for (long t = 1; t <= 1100; t++) {
            em.persist(new Task(t, "task " + t, t % 2 == 0 ? m10 : m11));
            em.persist(new Comment("c" + t, t, "comment on " + t));
        }
        em.persist(new Task(2000, "elsewhere", m20));
        em.persist(new Risk(1, "late", m10));
        em.persist(new Risk(2, "elsewhere", m20));
        Node first = new Node(1, null);
        Node second = new Node(2, first);
        em.persist(first);
        em.persist(second);
        first.parent = second;
        em.getTransaction().commit();
        em.close();
    }

    @AfterAll
    void close() {
        db.close();
    }

    @Test
    void aProjectExpandsToItsMilestonesTasksCommentsAndRisksWithOneQueryPerEdgePerLevelPerChunk() {
        DependencyGraph graph = graph(tracker, List.of());
        AtomicInteger queries = new AtomicInteger();

        Set<Row> rows = graph.expand(List.of(Row.of("Project", 1)), queries::addAndGet);

        Map<String, Long> perEntity = rows.stream().collect(Collectors.groupingBy(Row::entity, Collectors.counting()));
        assertThat(perEntity).containsExactlyInAnyOrderEntriesOf(Map.of("Project", 1L, "Milestone", 2L, "Task", 1100L,
                "Comment", 1100L, "Risk", 1L));
        assertThat(rows).contains(Row.of("Risk", 1)).doesNotContain(Row.of("Risk", 2), Row.of("Task", 2000));
        // Project -> Milestone and Project -> Risk; Milestone -> Task; Task -> Comment in three chunks of 500.
        assertThat(queries.get()).isEqualTo(2 + 1 + 3);
    }

    @Test
    void aMilestoneExpandsOnlyBelowItself() {
        Set<Row> rows = graph(tracker, List.of()).expand(List.of(Row.of("Milestone", 20)), q -> { });
        assertThat(rows).containsExactlyInAnyOrder(Row.of("Milestone", 20), Row.of("Task", 2000));
    }

    @Test
    void resolversAddRowsAndThoseRowsAreExpandedInTurn() {
        DependencyResolver docs = new DependencyResolver() {
            @Override
            public Set<String> entities() {
                return Set.of("Project");
            }

            @Override
            public Collection<Row> dependentsOf(Collection<Row> rows) {
                return rows.stream().flatMap(r -> List.of(Row.of("ExternalDoc", "doc-" + r.id()),
                        Row.of("Milestone", 20)).stream()).toList();
            }
        };
        Set<Row> rows = graph(tracker, List.of(docs)).expand(List.of(Row.of("Project", 2)), q -> { });
        assertThat(rows).contains(Row.of("ExternalDoc", "doc-2"), Row.of("Milestone", 20), Row.of("Task", 2000));
    }

    @Test
    void aCycleInTheDataEndsTheExpansion() {
        AtomicInteger queries = new AtomicInteger();
        Set<Row> rows = graph(tracker, List.of()).expand(List.of(Row.of("Node", 1)), queries::addAndGet);
        assertThat(rows).containsExactlyInAnyOrder(Row.of("Node", 1), Row.of("Node", 2));
        assertThat(queries.get()).isEqualTo(2);
    }

    @Test
    void anIdThatIsNotValidForItsEntityIsRejected() {
        DependencyGraph graph = graph(tracker, List.of());
        assertThatThrownBy(() -> graph.expand(List.of(Row.of("Project", "abc")), q -> { }))
                .isInstanceOf(InvalidClaimException.class)
                .hasMessage("Entity 'Project' id 'abc' (String) is not a valid Long id of that entity; pass the value"
                        + " of its @Id attribute 'id'");
    }

    @Test
    void badDeclarationsFailNamingTheEntityAndAttribute() {
        assertBad("bad-unknown-attribute", "Entity 'UnknownAttribute': @DependsOn(\"projct\") names no attribute"
                + " 'projct' on UnknownAttribute");
        assertBad("bad-basic-without-entity", "Entity 'BasicWithoutEntity': @DependsOn(\"ownerId\"): 'ownerId' is not"
                + " an association; name the entity its value refers to with entity=");
        assertBad("bad-collection-path", "Entity 'CollectionPath': @DependsOn(\"children\"): 'children' is a"
                + " collection");
        assertBad("bad-composite-id", "Entity 'CompositeId' has a composite id; the dependency graph follows entities"
                + " with a single id attribute only");
    }

    @Test
    void aResolverForAnUnknownEntityFailsAtStartup() {
        DependencyResolver wrong = new DependencyResolver() {
            @Override
            public Set<String> entities() {
                return Set.of("Projekt");
            }

            @Override
            public Collection<Row> dependentsOf(Collection<Row> rows) {
                return List.of();
            }
        };
        assertThatThrownBy(() -> graph(tracker, List.of(wrong)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("names entity 'Projekt', which the persistence unit does not map");
    }

    @Test
    void idsOfKnownEntitiesTakeTheCanonicalFormOfTheirIdType() {
        EntityModel model = EntityModel.read(tracker, List.of());
        assertThat(model.canonical(Row.of("Project", "042"))).isEqualTo(Row.of("Project", 42));
        assertThat(model.canonical(Row.of("Comment", "042"))).as("a String id is taken as it is")
                .isEqualTo(Row.of("Comment", "042"));
        assertThat(model.canonical(Row.of("Invoice", "x"))).as("an entity the unit does not map")
                .isEqualTo(Row.of("Invoice", "x"));
        assertThat(model.row(Project.class, "7")).isEqualTo(Row.of("Project", 7));
        assertThat(model.row(Project.class, 7)).isEqualTo(Row.of("Project", 7));
        assertThatThrownBy(() -> model.row(Project.class, java.util.UUID.randomUUID()))
                .isInstanceOf(InvalidClaimException.class).hasMessageContaining("is not a valid Long id");
        assertThatThrownBy(() -> model.canonical(Row.of("Project", "4 2")))
                .isInstanceOf(InvalidClaimException.class).hasMessageContaining("Entity 'Project' id '4 2'");
        assertThatThrownBy(() -> model.canonical(Row.of("Project", "99999999999999999999")))
                .isInstanceOf(InvalidClaimException.class);
    }

    @Test
    void everyEntityOfTheUnitIsCheckedOnWriteNotOnlyThoseInTheGraph() {
        EntityModel model = EntityModel.read(tracker, List.of());
        assertThat(model.checkedClasses()).contains(Project.class, Task.class, Comment.class,
                org.conflictguard.graph.Unrelated.class);
        assertThat(model.entityName(org.conflictguard.graph.Unrelated.class)).isEqualTo("Unrelated");
        assertThat(EntityModel.read(db.emf(), List.of()).checkedClasses()).as("the claim store's own entity")
                .doesNotContain(org.conflictguard.store.jpa.ObjectLock.class);
    }

    private static DependencyGraph graph(EntityManagerFactory emf, List<DependencyResolver> resolvers) {
        return new DependencyGraph(EntityModel.read(emf, resolvers));
    }

    private static void assertBad(String unit, String message) {
        EntityManagerFactory emf = Persistence.createEntityManagerFactory(unit,
                Map.of("jakarta.persistence.jdbc.url", "jdbc:h2:mem:" + unit));
        try {
            assertThatThrownBy(() -> graph(emf, List.of())).isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith(message);
        } finally {
            emf.close();
        }
    }
}
