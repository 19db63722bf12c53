package io.tributary.simulator.content;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.simulator.store.SimulatorState;
import io.tributary.simulator.store.SqliteDatabase;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ContentConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ContentConfiguration.class);

    @Bean
    IdScheme idScheme(SeedProperties seed) {
        return new IdScheme(seed.randomSeed());
    }

    /** Seeds the database (if empty, or if reset is asked) before anything reads the simulator's state. */
    @Bean
    SimulatorState simulatorState(SqliteDatabase db, SeedProperties seed, MutationProperties mutations,
                                  IdScheme ids) {
        log.info("Seed configuration: {}", seed);
        log.info("Mutation configuration: {}", mutations);
        ForumGenerator.seedIfEmpty(db, seed, ids);
        return SimulatorState.load(db, Clock.systemUTC());
    }

    @Bean
    ForumChangeFeed forumChangeFeed() {
        return new ForumChangeFeed();
    }

    @Bean
    ForumMutator forumMutator(SqliteDatabase db, SimulatorState state, IdScheme ids, ForumChangeFeed feed,
                              MeterRegistry meters, SeedProperties seed, MutationProperties mutations) {
        return new ForumMutator(db, state, ids, feed, meters, seed, mutations);
    }

    @Bean
    MutationScheduler mutationScheduler(ForumMutator mutator, MutationProperties properties) {
        return new MutationScheduler(mutator, properties);
    }
}
