package io.tributary.simulator.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.store.ForumCollection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

class MutationSchedulerIT {

    @Test
    void enabledMutationsChangeTheForumAndFeedEveryChange(@TempDir Path dir) {
        try (ConfigurableApplicationContext app = ForumSimulatorApplication.builder().properties(
                "server.port=0", "forum-simulator.database=" + dir.resolve("forum.db"),
                "forum-simulator.seed.users=50", "forum-simulator.seed.sections=3",
                "forum-simulator.seed.topics=20", "forum-simulator.seed.messages=200",
                "forum-simulator.mutations.enabled=true", "forum-simulator.mutations.rate-per-second=200",
                "forum-simulator.mutations.mix.bulk=20", "forum-simulator.mutations.bulk-size=10").run()) {
            List<ForumChange> seen = new CopyOnWriteArrayList<>();
            app.getBean(ForumChangeFeed.class).subscribe(seen::add);
            await("created, updated, deleted and bulk-updated records").atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> {
                        assertThat(seen).extracting(ForumChange::kind).contains(ForumChange.Kind.values());
                        assertThat(seen).extracting(ForumChange::collection).contains(ForumCollection.MESSAGES);
                    });
            assertThat(seen).extracting(ForumChange::eventType).allMatch(t -> t.matches("(user|section|topic|message)\\.(created|updated|deleted)"));
        }
    }
}
