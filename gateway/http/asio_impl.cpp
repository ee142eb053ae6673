// Asio, Asio.SSL and Beast are compiled once, here (BOOST_*_SEPARATE_COMPILATION), instead
// of in every translation unit that includes them: touching one file rebuilds in seconds.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
