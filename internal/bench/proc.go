package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// providerExe is the plugin process Terraform starts from dev_overrides.
const providerExe = "terraform-provider-cloudflaredns"

type tfRun struct {
	exit        int
	wall        time.Duration
	providerHWM int64
	tfHWM       int64
	providers   int
	providerCPU time.Duration // user + system time of the provider processes
	tfCPU       time.Duration // of Terraform itself
	summary     string        // the "Apply complete!" / "No changes." line
}

// runTerraform runs one command with its output in logFile, bounded by
// timeout. Terraform runs in its own process group so that a timeout or
// Ctrl-C kills it together with its provider plugins, which would otherwise
// outlive it.
func runTerraform(ctx context.Context, bin, dir string, env []string, logFile string, timeout time.Duration, args ...string) (tfRun, error) {
	var r tfRun
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	log, err := os.Create(logFile)
	if err != nil {
		return r, err
	}
	defer log.Close()

	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	stopPoll := make(chan struct{})
	polled := make(chan peak, 1)
	go func() { polled <- pollProviders(cmd.Process.Pid, stopPoll) }()
	err = cmd.Wait()
	r.wall = time.Since(start)
	close(stopPoll)
	p := <-polled
	r.providerHWM, r.providers, r.tfHWM = p.hwm, p.procs, p.parentHWM
	for _, t := range p.cpu {
		r.providerCPU += t
	}
	if cmd.ProcessState != nil {
		r.exit = cmd.ProcessState.ExitCode()
		// The kernel adds the reaped provider processes to Terraform's times
		// (and its ru_maxrss is theirs when they are bigger), so Terraform's
		// own CPU is what remains after theirs.
		r.tfCPU = max(0, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime()-r.providerCPU)
	}
	r.summary = summaryLine(logFile)
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return r, fmt.Errorf("timed out after %s", timeout)
	case ctx.Err() != nil:
		return r, ctx.Err()
	case err != nil && !errors.As(err, &exitErr):
		return r, err
	}
	return r, nil
}

type peak struct {
	hwm       int64 // highest VmHWM of a provider process
	procs     int
	cpu       map[int]time.Duration // last CPU time seen per provider process
	parentHWM int64
}

// pollProviders samples VmHWM (the kernel's peak RSS) of Terraform (parent)
// and of every provider process it starts, until stop closes. The kernel keeps
// the peak, so sampling every 100 ms misses at most what a process gains in
// its last 100 ms.
func pollProviders(parent int, stop <-chan struct{}) peak {
	p := peak{cpu: map[int]time.Duration{}}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		p.parentHWM = max(p.parentHWM, vmHWM(parent))
		for _, pid := range children(parent) {
			if !isProvider(pid) {
				continue
			}
			if _, ok := p.cpu[pid]; !ok {
				p.procs++
			}
			p.cpu[pid] = max(p.cpu[pid], cpuTime(pid))
			p.hwm = max(p.hwm, vmHWM(pid))
		}
		select {
		case <-stop:
			return p
		case <-tick.C:
		}
	}
}

// children lists the direct children of pid, from /proc/<pid>/task/*/children
// when the kernel offers it, else by scanning every process's parent.
func children(pid int) []int {
	var out []int
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	if len(tasks) > 0 {
		for _, t := range tasks {
			data, err := os.ReadFile(t)
			if err != nil {
				continue
			}
			for _, f := range strings.Fields(string(data)) {
				if n, err := strconv.Atoi(f); err == nil {
					out = append(out, n)
				}
			}
		}
		return out
	}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", n))
		if err != nil {
			continue
		}
		// The command name in parentheses may hold spaces: fields start after ")".
		s := string(data)
		if i := strings.LastIndexByte(s, ')'); i >= 0 {
			if f := strings.Fields(s[i+1:]); len(f) > 1 && f[1] == strconv.Itoa(pid) {
				out = append(out, n)
			}
		}
	}
	return out
}

func isProvider(pid int) bool {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err == nil {
		return filepath.Base(exe) == providerExe
	}
	// comm is cut at 15 characters.
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return err == nil && strings.HasPrefix(providerExe, strings.TrimSpace(string(comm)))
}

// vmHWM reads the peak resident set size of pid, in bytes.
func vmHWM(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// clockTick is USER_HZ, the unit of the times in /proc/<pid>/stat; 100 on
// every Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// cpuTime reads the user + system time pid has used so far.
func cpuTime(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	// After ")": state, ppid, ... utime is field 14 of the line, the 12th here.
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * clockTick
}

// summaryLine is Terraform's one-line outcome of the command.
func summaryLine(logFile string) string {
	data, err := os.ReadFile(logFile)
	if err != nil {
		return ""
	}
	var last string
	for _, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "Apply complete!"), strings.HasPrefix(t, "Destroy complete!"),
			strings.HasPrefix(t, "No changes."), strings.HasPrefix(t, "Plan:"), strings.HasPrefix(t, "Error:"):
			if last == "" || !strings.HasPrefix(last, "Error:") {
				last = t
			}
		}
	}
	return last
}

func execOutput(ctx context.Context, bin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}
