/*
 * One line per event: "time program[pid] level: message".  Control bytes
 * in messages are escaped, so request data cannot forge log lines.
 */
#ifndef FEIRA_LOG_H
#define FEIRA_LOG_H

enum log_level {
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARN,
	LOG_LEVEL_ERROR,
	LOG_LEVEL__MAX
};

#define PRINTFLIKE(a, b) __attribute__((format(printf, a, b)))

void	log_open(const char *, const char *, enum log_level);
void	log_close(void);
void	log_debug(const char *, ...) PRINTFLIKE(1, 2);
void	log_info(const char *, ...) PRINTFLIKE(1, 2);
void	log_warn(const char *, ...) PRINTFLIKE(1, 2);
void	log_warnx(const char *, ...) PRINTFLIKE(1, 2);
void	log_error(const char *, ...) PRINTFLIKE(1, 2);
void	fatal(const char *, ...) PRINTFLIKE(1, 2)
	    __attribute__((noreturn));
void	fatalx(const char *, ...) PRINTFLIKE(1, 2)
	    __attribute__((noreturn));

#endif
