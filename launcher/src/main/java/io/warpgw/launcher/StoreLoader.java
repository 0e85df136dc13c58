package io.warpgw.launcher;

import io.warpgw.spi.RegistrationStoreProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the store providers on the class path and picks one by name. A provider that fails to load is
 * reported and skipped, not fatal; an unknown name is, with the list of what was found.
 */
public final class StoreLoader {
  private static final Logger LOG = LoggerFactory.getLogger(StoreLoader.class);

  private StoreLoader() {}

  public static Map<String, RegistrationStoreProvider> available() {
    Map<String, RegistrationStoreProvider> found = new LinkedHashMap<>();
    Iterator<RegistrationStoreProvider> it = ServiceLoader.load(RegistrationStoreProvider.class).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        RegistrationStoreProvider p = it.next();
        RegistrationStoreProvider previous = found.putIfAbsent(p.name(), p);
        if (previous != null) {
          LOG.warn("two store providers are named '{}': {} and {}; using the first", p.name(),
              previous.getClass().getName(), p.getClass().getName());
        }
      } catch (ServiceConfigurationError e) {
        LOG.warn("a store provider could not be loaded and is skipped: {}", e.getMessage());
      }
    }
    return found;
  }

  public static RegistrationStoreProvider select(String name) {
    Map<String, RegistrationStoreProvider> found = available();
    RegistrationStoreProvider p = found.get(name);
    if (p == null) {
      List<String> names = new ArrayList<>(found.keySet());
      throw new IllegalArgumentException("unknown storage.type '" + name + "'; the stores found are: "
          + (names.isEmpty() ? "none" : String.join(", ", names)));
    }
    LOG.debug("store provider '{}' is {}", name, p.getClass().getName());
    return p;
  }
}
