package dev.parley;

import dev.parley.config.NettyDefaults;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ParleyApplication {
    public static void main(String[] args) {
        NettyDefaults.apply();
        SpringApplication.run(ParleyApplication.class, args);
    }
}
