package io.tributary.writer.inventory;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.CurrentCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class InventoryConfiguration {

    @Bean
    RouterFunction<ServerResponse> writerInventoryRoute(CurrentCatalog catalog, WriterDatabase database) {
        InventoryEndpoint endpoint = new InventoryEndpoint(catalog, new InventoryReader(database.dataSource()));
        return RouterFunctions.route(GET("/inventory/{entity}/digest"), endpoint::digest)
                .andRoute(POST("/inventory/{entity}/entries"), endpoint::entries);
    }
}
