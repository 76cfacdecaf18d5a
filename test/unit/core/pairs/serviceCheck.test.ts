import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseServiceCheck, SERVICE_CHECK_SCRIPT } from '../../../../src/core/pairs/serviceCheck';

/** The script's real output on a node running keepalived 2.2.7 (MASTER) and haproxy 2.6 (no systemd there). */
const REAL_OUTPUT = [
  'awsops-check=1',
  'service.keepalived=unknown',
  'service.haproxy=unknown',
  'vrrp.VI_1=MASTER',
  'haproxy.stat.begin',
  '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,',
  'fe,FRONTEND,,,0,0,9985,0,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,0,,,,,,,,,,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,tcp,,0,0,0,,0,0,0,,,,,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,',
  'be_web,up1,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,5,0,,1,3,1,,0,,2,0,,0,L4OK,,0,,,,,,,,,,,0,0,,,,,-1,,,0,0,0,0,,,,Layer4 check passed,,2,3,4,,,,127.0.0.1:18081,,tcp,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,',
  'be_web,down1,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,5,5,,1,3,2,,0,,2,0,,0,L4CON,,0,,,,,,,,,,,0,0,,,,,-1,Connection refused,,0,0,0,0,,,,Layer4 connection problem,,2,3,0,,,,127.0.0.1:1,,tcp,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,',
  'be_web,BACKEND,0,0,0,0,999,0,0,0,0,0,,0,0,0,0,UP,1,1,0,,0,5,0,,1,3,0,,0,,1,0,,0,,,,,,,,,,,,,,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,tcp,roundrobin,,,,,,,0,0,0,,,,,0,0,0,0,0,,,,,1,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,',
  '',
  'haproxy.stat.end',
].join('\n');

describe('parseServiceCheck', () => {
  it('reads the VRRP state and every backend server from real output', () => {
    const report = parseServiceCheck('i-a', REAL_OUTPUT.replace('service.keepalived=unknown', 'service.keepalived=active').replace('service.haproxy=unknown', 'service.haproxy=active'));
    assert.deepEqual(report, {
      instanceId: 'i-a',
      keepalived: 'active',
      haproxy: 'active',
      vrrpState: 'MASTER',
      backends: [
        { name: 'be_web', server: 'up1', status: 'UP' },
        { name: 'be_web', server: 'down1', status: 'DOWN' },
        { name: 'be_web', server: 'BACKEND', status: 'UP' },
      ],
      note: undefined,
    });
  });

  it('says unknown, never a guess, when the output is empty (as moto returns it) or not ours', () => {
    for (const output of ['', '   \n', 'bash: line 1: oops']) {
      const report = parseServiceCheck('i-b', output);
      assert.deepEqual([report.keepalived, report.haproxy, report.vrrpState, report.backends], ['unknown', 'unknown', 'unknown', undefined]);
      assert.match(report.note ?? '', /no check output/);
    }
  });

  it('keeps what is known and explains what is not', () => {
    const report = parseServiceCheck('i-b', 'awsops-check=1\nservice.keepalived=failed\nservice.haproxy=inactive\nhaproxy.stat=no stats socket (none in /etc/haproxy/haproxy.cfg)\n');
    assert.deepEqual([report.keepalived, report.haproxy, report.vrrpState, report.backends], ['failed', 'inactive', 'unknown', undefined]);
    assert.equal(report.note, 'keepalived did not report a VRRP state; haproxy stats unavailable: no stats socket (none in /etc/haproxy/haproxy.cfg).');
  });

  it('names each VRRP instance when they are in different states, and maps odd systemd answers to unknown', () => {
    const report = parseServiceCheck('i-a', 'awsops-check=1\nservice.keepalived=weird\nvrrp.VI_1=MASTER\nvrrp.VI_2=BACKUP\n');
    assert.equal(report.vrrpState, 'VI_1=MASTER VI_2=BACKUP');
    assert.equal(report.keepalived, 'unknown');
    assert.equal(report.haproxy, 'unknown');
  });

  it('lists the notify scripts keepalived names, executable or not, and the route keeper; absent when not read', () => {
    const output = 'awsops-check=1\nnotify.read=1\nnotify.missing=/usr/local/sbin/gone\nnotify.ok=/usr/local/sbin/awsops-notify\nroutekeeper=active\n';
    const report = parseServiceCheck('i-a', output);
    assert.deepEqual(report.notifyScripts, [{ path: '/usr/local/sbin/gone', executable: false }, { path: '/usr/local/sbin/awsops-notify', executable: true }]);
    assert.equal(report.routeKeeper, 'active');
    assert.deepEqual(parseServiceCheck('i-a', 'awsops-check=1\nnotify.read=1\nroutekeeper=inactive\n').notifyScripts, []);
    const unread = parseServiceCheck('i-a', 'awsops-check=1\nnotify.ok=/x\n');
    assert.equal(unread.notifyScripts, undefined, 'without notify.read the configuration was not read');
    assert.equal(unread.routeKeeper, undefined);
  });

  it('ignores key=value lookalikes inside the CSV block', () => {
    const output = 'awsops-check=1\nhaproxy.stat.begin\n# pxname,svname,status\nvrrp.X=MASTER,srv,UP\nhaproxy.stat.end\n';
    const report = parseServiceCheck('i-a', output);
    assert.equal(report.vrrpState, 'unknown');
    assert.deepEqual(report.backends, [{ name: 'vrrp.X=MASTER', server: 'srv', status: 'UP' }]);
  });
});

describe('SERVICE_CHECK_SCRIPT', () => {
  it('is valid bash', { skip: spawnSync('bash', ['--version']).status !== 0 ? 'no bash' : false }, () => {
    const check = spawnSync('bash', ['-n'], { input: SERVICE_CHECK_SCRIPT });
    assert.equal(check.status, 0, check.stderr.toString());
  });
});
