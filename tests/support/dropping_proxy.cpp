#include "dropping_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>

#include "registry_fixture.hpp"

namespace gantry::testing {
DroppingProxy::DroppingProxy(int target_port, std::string request_prefix, int request_number)
    : DroppingProxy(target_port, UINT64_MAX) {
  request_prefix_ = std::move(request_prefix);
  request_number_ = request_number;
}

DroppingProxy::DroppingProxy(int target_port, std::uint64_t drop_after)
    : target_port_(target_port), drop_after_(drop_after) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  const int yes = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  auto address = loopback_address(0);
  ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  ::listen(listener_, 16);
  acceptor_ = std::thread([this] {
    while (!stopping_) {
      pollfd ready{listener_, POLLIN, 0};
      if (::poll(&ready, 1, 50) <= 0) {
        continue;
      }
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client >= 0) {
        const std::lock_guard lock(mutex_);
        connections_.emplace_back([this, client] { serve(client); });
      }
    }
  });
}

DroppingProxy::~DroppingProxy() {
  stopping_ = true;
  acceptor_.join();
  ::close(listener_);
  const std::lock_guard lock(mutex_);
  for (auto& connection : connections_) {
    connection.join();
  }
}

void DroppingProxy::serve(int client) {
  const int server = ::socket(AF_INET, SOCK_STREAM, 0);
  auto address = loopback_address(target_port_);
  if (::connect(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(client);
    ::close(server);
    return;
  }
  std::uint64_t sent = 0;
  bool new_request = true;  // a client read after the server spoke starts a request
  std::array<char, 1 << 16> buffer{};
  while (!stopping_) {
    std::array<pollfd, 2> fds{{{client, POLLIN, 0}, {server, POLLIN, 0}}};
    if (::poll(fds.data(), fds.size(), 50) <= 0) {
      continue;
    }
    bool closed = false;
    for (int side = 0; side < 2 && !closed; ++side) {
      if ((fds[side].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
        continue;
      }
      const auto got = ::read(fds[side].fd, buffer.data(), buffer.size());
      if (got <= 0) {
        closed = true;
        break;
      }
      if (side == 1) {
        new_request = true;
      }
      if (side == 0 && new_request) {
        new_request = false;
        const std::string_view start(buffer.data(), static_cast<std::size_t>(got));
        int expected = 0;
        if (!request_prefix_.empty() && start.starts_with(request_prefix_) &&
            ++requests_seen_ == request_number_ && drops_.compare_exchange_strong(expected, 1)) {
          closed = true;
          break;
        }
      }
      if (side == 0) {
        sent += static_cast<std::uint64_t>(got);
        upstream_ += static_cast<std::uint64_t>(got);
        int expected = 0;
        if (sent > drop_after_ && drops_.compare_exchange_strong(expected, 1)) {
          closed = true;  // the link drops here, mid-request
          break;
        }
      }
      const int to = side == 0 ? server : client;
      for (ssize_t done = 0; done < got;) {
        const auto wrote = ::write(to, buffer.data() + done, static_cast<std::size_t>(got - done));
        if (wrote <= 0) {
          closed = true;
          break;
        }
        done += wrote;
      }
    }
    if (closed) {
      break;
    }
  }
  ::close(client);
  ::close(server);
}

}  // namespace gantry::testing
